/**
 * `npm run sandbox`: starts the sandbox in .sandbox/ and keeps it running until Ctrl-C/SIGTERM.
 * Prints what to paste into VS Code's user settings to use it.
 *   --bench-folders   also seed alice's 1,000 extra folders
 */
import { resolve } from 'node:path';
import { accountSettingsFor } from './account-settings';
import { startSandbox } from './index';

async function main(): Promise<void> {
  const stateDir = resolve(__dirname, '..', '..', '..', '.sandbox');
  const started = Date.now();
  const sandbox = await startSandbox({ stateDir, benchFolders: process.argv.includes('--bench-folders'), fixedPorts: true });
  const { info } = sandbox;
  const lines = [
    `Exchange Mail sandbox is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s); Ctrl-C stops it.`,
    '',
    `  identity platform  ${info.authorityHost}  (tenant ${info.tenantId}, device login ${info.authorityHost}/devicelogin)`,
    `  IMAP (exchange)    ${info.imap.exchange.host}:${info.imap.exchange.port}  TLS`,
    `  IMAP (modern)      ${info.imap.modern.host}:${info.imap.modern.port}  TLS`,
    `  POP3               ${info.pop3.host}:${info.pop3.port}  TLS`,
    `  SMTP submission    ${info.smtp.host}:${info.smtp.port}  STARTTLS`,
    `  CA certificate     ${info.caFile}`,
    `  users              ${info.users.map((u) => u.address).join(', ')}`,
    `  details            ${resolve(stateDir, 'sandbox.json')}`,
    '',
    'Paste into your VS Code user settings (settings.json):',
    JSON.stringify({ 'exchangeMail.accounts': accountSettingsFor(info) }, null, 2),
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the sandbox…');
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  const busy = /EADDRINUSE/.test(err.message) ? ' (a port of the sandbox is taken: is another sandbox or demo running? Stop it first.)' : '';
  console.error(`the sandbox did not start: ${err.message}${busy}`);
  process.exit(1);
});
