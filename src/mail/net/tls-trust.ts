/**
 * The TLS context that trusts an account's own CA beside the system's roots, never instead of
 * them. Building one parses the ~140 system roots (tens of milliseconds), so each CA gets one
 * context, shared by every IMAP, POP3 and SMTP connection and every probe.
 */
import { createSecureContext, rootCertificates, SecureContext } from 'node:tls';

const contexts = new Map<string, SecureContext>();

export function secureContextTrusting(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ca], minVersion: 'TLSv1.2' });
    contexts.set(ca, context);
  }
  return context;
}
