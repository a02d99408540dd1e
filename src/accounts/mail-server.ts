import { readFileSync } from 'node:fs';
import { ExplainedError } from '../errors';
import { PROTOCOL_NAMES, type MailServer, type Protocol } from '../mail/server';
import type { Account } from './account';

/** Where the account's server for `protocol` is, with the account's extra CA certificates. */
export function toMailServer(account: Account, protocol: Protocol): MailServer {
  const server = account.protocols.includes(protocol) ? account.servers[protocol] : undefined;
  if (!server) {
    throw new ExplainedError(`${account.address} does not use ${PROTOCOL_NAMES[protocol]}.`,
      `Add "${protocol}" to the account's \`protocols\` in the setting exchangeMail.accounts.`, { code: 'protocol-not-configured', actions: ['openSettings'] });
  }
  const mailServer: MailServer = { host: server.host, port: server.port, security: server.security };
  if (account.caFile) {
    try {
      mailServer.ca = readFileSync(account.caFile, 'utf8');
    } catch (err) {
      throw new ExplainedError(`The CA file of ${account.address} cannot be read: ${account.caFile}.`,
        'Restore the file or change `caFile` in the setting exchangeMail.accounts.',
        { code: 'ca-file-unreadable', detail: (err as Error).message, actions: ['openSettings'] });
    }
  }
  return mailServer;
}
