// `npm run demo`: packages the extension, installs what is missing (npm packages, Debian mail
// packages as root, code-server), then runs the sandbox and code-server with Exchange Mail
// configured against it (test/sandbox/demo.ts) until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCodeServer, ensureNodeModules, root } from './lib/setup.mjs';

ensureNodeModules();
if (spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const { packageVsix } = await import('./package.mjs');
const env = { ...process.env, CODE_SERVER_ENTRY: ensureCodeServer(), EXCHANGE_MAIL_VSIX: await packageVsix() };
const child = spawn(process.execPath, [join(root, 'out', 'test', 'sandbox', 'demo.js')], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
