/**
 * Takes tokens and secrets out of protocol traces and log lines before they are written. Shared
 * by the IMAP, POP3 and SMTP traces: it knows the shapes a credential takes on those wires
 * (SASL initial responses, base64 XOAUTH2/OAUTHBEARER payloads, bearer tokens, JWTs, OAuth
 * form and JSON fields) and any string a caller registers as secret.
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
/** Header and payload of a JWT are base64url JSON objects, so both start with `eyJ` (`{"`). */
const JWT = /\beyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
/** OAuth fields in form bodies, query strings and JSON: `refresh_token=…`, `"client_secret":"…"`. */
const OAUTH_FIELD = /\b((?:access|refresh|id)_token|client_secret|client_assertion|code_verifier|password)("?[ \t]*[:=][ \t]*"?)([^"&\s,}]+)/gi;

function carriesToken(base64: string): boolean {
  const decoded = Buffer.from(base64, 'base64').toString('latin1').toLowerCase();
  return decoded.includes(SASL_TOKEN_FIELD) || decoded.startsWith('auth=');
}

function redactPatterns(text: string): string {
  return text
    .replace(SASL_INITIAL_RESPONSE, (_m, verb: string, mechanism: string, space: string, response: string) =>
      response === '=' ? `${verb}${mechanism}${space}=` : `${verb}${mechanism}${space}[redacted ${mechanism.toUpperCase()}]`)
    .replace(BASE64_RUN, (run) => (carriesToken(run) ? REDACTED_XOAUTH2 : run))
    .replace(BEARER, (_m, word: string, space: string) => `${word}${space}${REDACTED_TOKEN}`)
    .replace(JWT, REDACTED_TOKEN)
    .replace(OAUTH_FIELD, (_m, name: string, separator: string) => `${name}${separator}${REDACTED_SECRET}`);
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
}

/** Redacts the well-known credential shapes and the given secrets from one line or message. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.register(secret);
  return redactor.redact(text);
}
