// `npm run sandbox`: compiles, installs the Debian mail packages when missing (as root), and
// runs the sandbox (test/sandbox/cli.ts) until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, root } from './lib/setup.mjs';

ensureNodeModules();
if (spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const child = spawn(process.execPath, [join(root, 'out', 'test', 'sandbox', 'cli.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
