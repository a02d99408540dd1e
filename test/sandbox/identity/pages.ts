/**
 * The HTML a person sees: the sign-in page (pick an account, Sign in or Cancel), the device
 * login page, Entra's auto-submitting form_post page, and error pages. Plain forms, no script
 * except the form_post submit, so a test can drive them with a bare HTTP client.
 */
import { User } from '../directory';
import { EntraErrorBody } from './errors';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] ?? c);
}

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:60px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}label{display:block;margin:8px 0}
button{padding:6px 20px;margin-right:8px;font-size:15px}.primary{background:#0067b8;color:#fff;border:0}
.error{color:#a80000}.note{color:#555;font-size:13px}code{font-size:13px;word-break:break-all}</style>
</head><body><main>${body}</main></body></html>`;
}

function accountChoices(users: User[], preselect: string | undefined): string {
  const wanted = preselect?.toLowerCase();
  const anyChecked = users.some((u) => u.upn === wanted);
  return users.map((u, i) => {
    const checked = u.upn === wanted || (!anyChecked && i === 0) ? ' checked' : '';
    return `<label><input type="radio" name="login" value="${escape(u.upn)}"${checked}> ${escape(u.displayName)} &lt;${escape(u.upn)}&gt;</label>`;
  }).join('\n');
}

export interface SignInPageModel {
  action: string;
  pendingId: string;
  appName: string;
  users: User[];
  loginHint?: string;
  scopes: string[];
}

export function signInPage(model: SignInPageModel): string {
  return layout('Sign in to your account', `<h1>Sign in</h1>
<p>to continue to <b>${escape(model.appName)}</b></p>
<form method="post" action="${escape(model.action)}">
<input type="hidden" name="ctx" value="${escape(model.pendingId)}">
${accountChoices(model.users, model.loginHint)}
<label>Or another account: <input type="email" name="other" placeholder="someone@example.com"></label>
<p class="note">This app will be able to: ${model.scopes.map(escape).join(', ') || 'sign you in'}</p>
<button class="primary" name="action" value="signin">Sign in</button><button name="action" value="cancel">Cancel</button>
</form>`);
}

/** Entra's form_post response: the browser posts the result to the app's redirect URI at once. */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('\n');
  return `<!DOCTYPE html><html><head><title>Working...</title></head><body>
<form method="POST" name="hiddenform" action="${escape(action)}">
${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript>
</form><script>document.forms[0].submit();</script></body></html>`;
}

export function errorPage(body: EntraErrorBody): string {
  return layout('Sign in to your account', `<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" id="error-code">AADSTS${body.error_codes[0]}</p>
<p class="error" id="error-description">${escape(body.error_description)}</p>
<p class="note">Request Id: ${escape(body.trace_id)}<br>Correlation Id: ${escape(body.correlation_id)}<br>Timestamp: ${escape(body.timestamp)}</p>`);
}

export interface DeviceLoginPageModel {
  users: User[];
  userCode?: string;
  /** After a submit: what happened. */
  outcome?: { kind: 'approved'; appName: string } | { kind: 'declined' } | { kind: 'error'; body: EntraErrorBody };
}

export function deviceLoginPage(model: DeviceLoginPageModel): string {
  const { outcome } = model;
  if (outcome?.kind === 'approved') {
    return layout('Device sign-in', `<h1>${escape(outcome.appName)}</h1><p id="result">You have signed in to the ${escape(outcome.appName)} application on your device. You may now close this window.</p>`);
  }
  if (outcome?.kind === 'declined') {
    return layout('Device sign-in', '<h1>Sign-in declined</h1><p id="result">You declined to sign in to the application on your device. You may now close this window.</p>');
  }
  const error = outcome?.kind === 'error'
    ? `<p class="error" id="error-code">AADSTS${outcome.body.error_codes[0]}</p><p class="error" id="error-description">${escape(outcome.body.error_description)}</p>`
    : '';
  return layout('Enter code', `<h1>Enter code</h1>${error}
<p>Enter the code displayed on your app or device.</p>
<form method="post" action="/devicelogin">
<label>Code <input name="otc" value="${escape(model.userCode ?? '')}" autocomplete="off" required></label>
${accountChoices(model.users, undefined)}
<button class="primary" name="action" value="approve">Sign in</button><button name="action" value="deny">Cancel</button>
</form>`);
}

export function signedOutPage(): string {
  return layout('Signed out', '<h1>You signed out of your account</h1><p>It\'s a good idea to close all browser windows.</p>');
}
