/**
 * The program Dovecot's passdb runs for every login (IMAP, POP3, and SMTP through Postfix):
 *
 *   node token-check.js <settings.json> <sasl user> <service> <mechanism>   (token on stdin)
 *
 * Exit 0 accepts, 1 refuses (Dovecot answers "Authentication failed" as for a bad password),
 * anything else is an internal failure. Each decision is appended to the log file, because the
 * client only ever sees the generic failure, exactly as with Exchange Online.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { Protocol } from '../directory';
import { checkToken } from './token-rules';

export interface TokenCheckSettings {
  signingKeysDir: string;
  logFile: string;
}

const SERVICES: Record<string, Protocol> = { imap: 'imap', pop3: 'pop3', smtp: 'smtp' };

function main(): number {
  const [settingsFile, user, service, mechanism] = process.argv.slice(2);
  if (!settingsFile || !user || !service || !mechanism) return 2;
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as TokenCheckSettings;
  const protocol = SERVICES[service];
  const token = readFileSync(0, 'utf8').trim();
  const verdict = protocol
    ? checkToken({ user, protocol, mechanism, token }, settings.signingKeysDir)
    : { accepted: false as const, reason: `service ${service} is not IMAP, POP3 or SMTP` };
  const outcome = verdict.accepted ? `accepted: ${verdict.detail}` : `refused: ${verdict.reason}`;
  appendFileSync(settings.logFile, `${new Date().toISOString()} ${service} ${mechanism} ${user} ${outcome}\n`);
  return verdict.accepted ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`token check failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 111;
}
