/**
 * The sandbox end to end: a token from every sign-in flow the guide describes opens IMAP (both
 * profiles), POP3 and SMTP — through independent clients (imapflow, nodemailer, a bare POP3
 * exchange on a socket) and through the project's own.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { createTokenSource } from '../../src/auth/token-sources';
import { AuthSettings, secretKeys, TokenSource } from '../../src/auth/token-source';
import { composeFromDocument, createDraft } from '../../src/mail/compose';
import { checkPop3Mailbox } from '../../src/mail/pop3';
import { ImapSession } from '../../src/mail/imap/session';
import { MailServer, Protocol } from '../../src/mail/server';
import { sendMessage } from '../../src/mail/smtp';
import { testPorts, TestPorts } from '../unit/auth/fakes';
import { appByKey } from '../sandbox/directory';
import { accountSettings, browse, restoreDefaults } from './auth/platform';
import { sandbox } from './sandbox';

const FLOW_NAMES = ['device code', 'browser with PKCE', 'web-app authorization code', 'client secret', 'client certificate'];

interface Flow {
  name: string;
  address: string;
  source(): TokenSource;
}

function flows(): Flow[] {
  const box = sandbox();
  const { identity, certificates, info } = box;
  const browserPorts = (): TestPorts => testPorts({ openExternal: async (url) => (await browse(url, info.caFile), true) });
  const delegated = (mode: AuthSettings['mode'], app: 'public' | 'web', ports: TestPorts): TokenSource => {
    const settings = accountSettings(box, app, { mode, protocols: ['imap', 'pop3', 'smtp'] });
    if (app === 'web') void ports.secrets.store(secretKeys.clientSecret(settings.accountId), appByKey('web').secrets[0]);
    return createTokenSource(settings, ports);
  };
  const appOnly = (credential: 'secret' | 'certificate'): TokenSource => {
    const ports = testPorts();
    const app = appByKey(credential === 'secret' ? 'daemon' : 'daemonCert');
    const settings = accountSettings(box, app.key, {
      address: 'shared@contoso.test', mode: 'client-credentials', credential, protocols: ['imap', 'pop3', 'smtp'],
      certificateThumbprint: credential === 'certificate' ? certificates.appThumbprintSha256 : undefined,
    });
    if (credential === 'secret') void ports.secrets.store(secretKeys.clientSecret(settings.accountId), app.secrets[0]);
    else void ports.secrets.store(secretKeys.certificatePrivateKey(settings.accountId), readFileSync(certificates.appKeyFile, 'utf8'));
    return createTokenSource(settings, ports);
  };
  const deviceCodePorts = testPorts({ showDeviceCode: (prompt) => identity.control.approveDeviceCode(prompt.userCode, 'alice@contoso.test') });
  return [
    { name: 'device code', address: 'alice@contoso.test', source: () => delegated('msal-device-code', 'public', deviceCodePorts) },
    { name: 'browser with PKCE', address: 'alice@contoso.test', source: () => delegated('msal-browser', 'public', browserPorts()) },
    { name: 'web-app authorization code', address: 'alice@contoso.test', source: () => delegated('web-app', 'web', browserPorts()) },
    { name: 'client secret', address: 'shared@contoso.test', source: () => appOnly('secret') },
    { name: 'client certificate', address: 'shared@contoso.test', source: () => appOnly('certificate') },
  ];
}

function server(protocol: Protocol, profile: 'exchange' | 'modern' = 'exchange'): MailServer {
  const { info } = sandbox();
  const endpoint = protocol === 'imap' ? info.imap[profile] : info[protocol];
  return { ...endpoint, security: protocol === 'smtp' ? 'starttls' : 'tls', ca: readFileSync(info.caFile, 'utf8') };
}

const trust = () => ({ ca: [...rootCertificates, readFileSync(sandbox().info.caFile, 'utf8')] });

async function imapflowLogin(profile: 'exchange' | 'modern', user: string, accessToken: string): Promise<string[]> {
  const { port, host } = sandbox().info.imap[profile];
  const client = new ImapFlow({ host, port, secure: true, auth: { user, accessToken }, tls: trust(), logger: false });
  await client.connect();
  const names = (await client.list()).map((f) => f.path);
  await client.logout();
  return names;
}

/** A bare POP3 exchange: greeting, AUTH XOAUTH2 with the payload as the guide shows it, QUIT. */
function pop3Login(user: string, accessToken: string): Promise<string> {
  const { host, port } = sandbox().info.pop3;
  const payload = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`).toString('base64');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, ...trust() });
    const replies: string[] = [];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        replies.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (replies.length === 1) socket.write('AUTH XOAUTH2\r\n');
        else if (replies.length === 2) socket.write(`${payload}\r\n`);
        else if (replies.length === 3) socket.write('QUIT\r\n');
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies[2] ?? replies.join(' | ')));
  });
}

describe('A token from every sign-in flow opens every protocol of the sandbox', function () {
  this.timeout(60000);

  before(() => sandbox().identity.control.setAutoSignIn('alice@contoso.test'));
  after(() => restoreDefaults(sandbox().identity));

  for (const flow of FLOW_NAMES) {
    describe(flow, () => {
      let source: TokenSource;
      let address: string;

      before(() => {
        const chosen = flows().find((f) => f.name === flow);
        assert.ok(chosen);
        source = chosen.source();
        address = chosen.address;
      });

      it('logs in to IMAP on both profiles with imapflow', async () => {
        const token = await source.getToken({ protocol: 'imap', interactive: true });
        assert.equal(token.user, address);
        for (const profile of ['exchange', 'modern'] as const) {
          assert.ok((await imapflowLogin(profile, token.user, token.accessToken)).includes('INBOX'), `no INBOX on ${profile}`);
        }
      });

      it('logs in to POP3 with a bare AUTH XOAUTH2', async () => {
        const token = await source.getToken({ protocol: 'pop3', interactive: true });
        assert.match(await pop3Login(token.user, token.accessToken), /^\+OK/);
      });

      it('logs in to SMTP submission with nodemailer', async () => {
        const token = await source.getToken({ protocol: 'smtp', interactive: true });
        const { host, port } = sandbox().info.smtp;
        const transport = nodemailer.createTransport({ host, port, secure: false, requireTLS: true, tls: trust(),
          auth: { type: 'OAuth2', user: token.user, accessToken: token.accessToken } });
        assert.equal(await transport.verify(), true);
        transport.close();
      });

      it('works with the project\'s own IMAP, POP3 and SMTP clients', async () => {
        const credentials = (protocol: Protocol) => async (options?: { renew?: boolean }) => {
          const token = await source.getToken({ protocol, interactive: true, forceRefresh: options?.renew });
          return { user: token.user, accessToken: token.accessToken };
        };
        const session = new ImapSession({ server: server('imap', 'modern'), credentials: credentials('imap') });
        try {
          assert.equal((await session.listFolders()).special('inbox')?.path, 'INBOX');
        } finally {
          await session.close();
        }
        assert.ok((await checkPop3Mailbox(server('pop3'), credentials('pop3'))).messageCount > 0);
        const composed = composeFromDocument({ text: `# ${flow}\n\nSent through the ${flow} flow.`, languageId: 'markdown', fileName: 'flow.md' });
        const draft = createDraft({ from: address, to: 'bob@contoso.test', subject: `Flow check: ${flow}` }, composed.body);
        const sent = await sendMessage(server('smtp'), credentials('smtp'), draft);
        assert.deepEqual(sent.accepted, ['bob@contoso.test']);
      });
    });
  }
});
