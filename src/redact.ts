/**
 * Takes tokens and secrets out of protocol traces and log lines before they are written. Shared
 * by the IMAP, POP3 and SMTP traces: it knows the shapes a credential takes on those wires
 * (SASL initial responses, base64 XOAUTH2/OAUTHBEARER payloads, bearer tokens, JWTs, OAuth
 * form and JSON fields, also JSON escaped in a string, authorization and device codes, MSAL
 * cache secrets, PEM private keys) and any string a caller registers as secret. Linear time:
 * a trace line is what a server sends, so no pattern may backtrack over it.
 */

export const REDACTED_XOAUTH2 = '[redacted XOAUTH2]';
export const REDACTED_TOKEN = '[redacted token]';
export const REDACTED_SECRET = '[redacted secret]';

/** `AUTH XOAUTH2 <ir>` (POP3, SMTP) and `tag AUTHENTICATE XOAUTH2 <ir>` (IMAP), for mechanisms that carry a credential. */
const SASL_MECHANISM = 'XOAUTH2|OAUTHBEARER|PLAIN|LOGIN|NTLM|GSSAPI|EXTERNAL|SCRAM-[A-Z0-9-]+';
/** The word after the mechanism is a credential unless it is another mechanism name, as in an EHLO reply's `250-AUTH LOGIN XOAUTH2`. */
const SASL_INITIAL_RESPONSE = new RegExp(`\\b(AUTH(?:ENTICATE)?[ \\t]+)(${SASL_MECHANISM})([ \\t]+)(?!(?:${SASL_MECHANISM})(?:\\s|$))(\\S+)`, 'gi');
/** A run of base64 long enough to carry a credential; decoded to see what it carries. */
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;
/** What a SASL XOAUTH2 (`user=…^Aauth=Bearer …`) or OAUTHBEARER (`n,a=…,^Aauth=…`) payload holds. */
const SASL_TOKEN_FIELD = '\u0001auth=';
const BEARER = /\b(Bearer)([ \t]+|%20|\+)([A-Za-z0-9._~+/=-]+)/gi;
/** A run of the characters a JWT is written in; each is looked into by `redactJwts`. */
const JWT_RUN = /[A-Za-z0-9_.-]{16,}/g;
/** Header and payload of a JWT are base64url JSON objects, so both start with `eyJ` (`{"`). */
const JWT_START = 'eyJ';
/**
 * OAuth and MSAL fields in form bodies, query strings and JSON, also JSON escaped inside a
 * string: `refresh_token=…`, `"client_secret":"…"`, `\"secret\":\"…\"` (MSAL's cache),
 * `device_code=…`. A value ends at a quote, `&`, space, `,` or `}`; `\/` and the like stay in it.
 */
const OAUTH_FIELD = /\b((?:access|refresh|id)_token|client_secret|client_assertion|code_verifier|device_code|password|secret)((?:\\{0,3}")?[ \t]*[:=][ \t]*(?:\\{0,3}")?)((?:\\[^"\\]|[^"\\&\s,}])+)/gi;
/** An authorization code: `?code=…`/`&code=…` in a redirect URL or form body, or a JSON `"code"` string. */
const AUTH_CODE = /((?:^|[?&\s])code=|\\{0,3}"code\\{0,3}"[ \t]*:[ \t]*\\{0,3}")((?:\\[^"\\]|[^"\\&\s,}])+)/gi;
/** The first line of a PEM private key (`-----BEGIN RSA PRIVATE KEY-----`, `…ENCRYPTED PRIVATE KEY…`). */
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;
export const REDACTED_PRIVATE_KEY = '[redacted private key]';

function carriesToken(base64: string): boolean {
  const decoded = Buffer.from(base64, 'base64').toString('latin1').toLowerCase();
  return decoded.includes(SASL_TOKEN_FIELD) || decoded.startsWith('auth=');
}

/** Where a JWT starts in one dot-free piece of a run: at `eyJ` at the piece's start or after a `-`. */
function jwtStart(piece: string): number {
  for (let at = piece.indexOf(JWT_START); at >= 0; at = piece.indexOf(JWT_START, at + 1)) {
    if (at === 0 || piece[at - 1] === '-') return at;
  }
  return -1;
}

/**
 * JWTs (`eyJ….eyJ….sig`) inside one run of base64url characters and dots. Done by splitting on
 * dots rather than by one pattern: a pattern that starts at every `-eyJ` and scans to the end of
 * the run is quadratic in a run of them.
 */
function redactJwts(run: string): string {
  if (!run.includes(JWT_START)) return run;
  const pieces = run.split('.');
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const start = i + 2 < pieces.length && pieces[i + 1]!.startsWith(JWT_START) ? jwtStart(piece) : -1;
    if (start < 0) {
      out.push(piece);
      continue;
    }
    out.push(piece.slice(0, start) + REDACTED_TOKEN);
    i += 2;
  }
  return out.join('.');
}

/** PEM private-key blocks, to their END line or, when there is none (a cut text), to the end. */
function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY-----')) return text;
  let out = '';
  let from = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin; begin = PEM_BEGIN.exec(text)) {
    PEM_END.lastIndex = begin.index + begin[0].length;
    const end = PEM_END.exec(text);
    out += text.slice(from, begin.index) + REDACTED_PRIVATE_KEY;
    from = end ? end.index + end[0].length : text.length;
    PEM_BEGIN.lastIndex = from;
  }
  return out + text.slice(from);
}

/** Every pattern here runs in time linear in the text (test/bench/linear-time.ts measures it). */
function redactPatterns(text: string): string {
  return redactPrivateKeys(text)
    .replace(SASL_INITIAL_RESPONSE, (_m, verb: string, mechanism: string, space: string, response: string) =>
      response === '=' ? `${verb}${mechanism}${space}=` : `${verb}${mechanism}${space}[redacted ${mechanism.toUpperCase()}]`)
    .replace(BASE64_RUN, (run) => (carriesToken(run) ? REDACTED_XOAUTH2 : run))
    .replace(BEARER, (_m, word: string, space: string) => `${word}${space}${REDACTED_TOKEN}`)
    .replace(JWT_RUN, redactJwts)
    .replace(OAUTH_FIELD, (_m, name: string, separator: string) => `${name}${separator}${REDACTED_SECRET}`)
    .replace(AUTH_CODE, (_m, field: string) => `${field}${REDACTED_SECRET}`);
}

/** Longest line a protocol trace shows; longer ones (message sources, literals) are cut. */
export const MAX_TRACE_LINE = 2000;
/**
 * How far past the cut a long line is still redacted before it is cut: longer than any token,
 * so a secret that starts before the cut is found whole, and a 30 MB literal costs no more.
 */
const REDACTED_PAST_CUT = 16 * 1024;

function cutLine(redacted: string, originalLength: number): string {
  return originalLength > MAX_TRACE_LINE || redacted.length > MAX_TRACE_LINE
    ? `${redacted.slice(0, MAX_TRACE_LINE)} …(${originalLength} chars)`
    : redacted;
}

/**
 * Redaction with the secrets of one account or session: register the access token, client
 * secret or password in use, and every later `redact()` removes them wherever they appear.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  register(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(REDACTED_SECRET);
    }
    return redactPatterns(result);
  }

  /**
   * Lines of a protocol trace, each on one line, redacted and then cut to `MAX_TRACE_LINE`:
   * redaction first, so a secret across the cut is still found. Redacted together, because a
   * thousand STATUS lines cost the redactor a tenth of a thousand calls.
   */
  traceLines(lines: readonly string[]): string[] {
    const windows = lines.map((line) => {
      const window = line.length > MAX_TRACE_LINE + REDACTED_PAST_CUT ? line.slice(0, MAX_TRACE_LINE + REDACTED_PAST_CUT) : line;
      return window.includes('\n') ? window.replace(/\r?\n/g, ' ') : window;
    });
    const redacted = this.redact(windows.join('\n')).split('\n');
    // A private key spread over several lines is redacted as one: those lines became one.
    const sameLines = redacted.length === lines.length;
    return redacted.map((line, i) => cutLine(line, sameLines ? lines[i]!.length : line.length));
  }
}

/** Redacts the well-known credential shapes and the given secrets from one line or message. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.register(secret);
  return redactor.redact(text);
}
