/** The small pages a browser shows after a loopback sign-in. */
const STYLE = 'font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;line-height:1.5';

export const SIGNED_IN_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Exchange Mail</title></head>`
  + `<body style="${STYLE}"><h1>Signed in</h1><p>Exchange Mail has what it needs. You can close this tab and return to VS Code.</p></body></html>`;

export const SIGN_IN_FAILED_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Exchange Mail</title></head>`
  + `<body style="${STYLE}"><h1>Sign-in did not complete</h1><p>Return to VS Code: Exchange Mail says what went wrong and how to fix it.</p></body></html>`;
