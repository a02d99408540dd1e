/**
 * `npm run demo`: the sandbox, and code-server with the packaged extension installed and the
 * sandbox's account configured, trusting the sandbox CA through the account's CA file.
 * Prints the URL to open; Ctrl-C stops everything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../vscode/code-server';
import { accountSettingsFor } from './account-settings';
import { FIXED_PORTS, startSandbox } from './index';

const SAMPLE = `---
to: Bob Okafor <bob@contoso.test>
subject: Release notes for Exchange Mail 0.1
---
# Release notes

Exchange Mail now signs in to **Exchange Online** with OAuth2 and reads your mailbox over IMAP.

- Folder tree with unread counts
- Send the current Markdown document as a formatted email
`;

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const vsix = process.env.EXCHANGE_MAIL_VSIX;
  if (!vsix) throw new Error('run the demo through `npm run demo`, which packages the extension');
  const stateDir = join(root, '.sandbox');
  const sandbox = await startSandbox({ stateDir, fixedPorts: true });
  const workspace = join(stateDir, 'demo-workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'release-notes.md'), SAMPLE);
  const port = Number(process.env.DEMO_PORT ?? FIXED_PORTS.codeServer);
  const server = await startCodeServer({
    vsixFiles: [vsix],
    port,
    settings: { 'exchangeMail.accounts': accountSettingsFor(sandbox.info) },
  });
  console.log([
    '',
    `Exchange Mail demo: open ${server.url}/?folder=${encodeURIComponent(workspace)}`,
    '',
    `  The account alice@contoso.test is configured against the sandbox (${sandbox.info.authorityHost}).`,
    `  Sign in by device code: open the Mail view, run "Exchange Mail: Sign In", then enter the code at`,
    `  ${sandbox.info.authorityHost}/devicelogin (your browser will warn about the sandbox's private CA:`,
    `  ${sandbox.info.caFile}; trust it or continue).`,
    '',
    '  The mail servers answer as Exchange Online does. Its faults on demand, for instance a throttled folder listing:',
    `  curl --cacert ${sandbox.info.caFile} -H 'Content-Type: application/json' ${sandbox.info.controlUrl}/mail-faults \\`,
    `    -d '{"user":"alice@contoso.test","fault":{"kind":"imap-throttled","command":"STATUS","backoffMs":2000},"times":0}'`,
    `  (kinds: imap-token-expired, imap-throttled, imap-not-connected, imap-drop, smtp-auth-disabled, smtp-send-as-denied,`,
    `  smtp-starttls-required, smtp-drop; POST ${sandbox.info.controlUrl}/mail-faults/clear forgets them).`,
    '',
    'Ctrl-C stops code-server and the sandbox.',
  ].join('\n'));
  const stop = async () => {
    await server.stop();
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`the demo did not start: ${err.message}`);
  process.exit(1);
});
