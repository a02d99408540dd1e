// `npm run test:desktop`: the extension-host suite on desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (CI uses code-server instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ensureNodeModules, root } from './lib/setup.mjs';

ensureNodeModules();
for (const args of [[join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], [join(root, 'scripts', 'build.mjs')]]) {
  if (spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const reportFile = join(mkdtempSync(join(tmpdir(), 'exchange-mail-desktop-')), 'report.json');
let code = 1;
try {
  code = await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'extension-host', 'index'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', mkdtempSync(join(tmpdir(), 'exchange-mail-ws-'))],
    extensionTestsEnv: { EXCHANGE_MAIL_TEST_REPORT: reportFile },
  });
} catch (err) {
  console.error(`desktop VS Code could not be run: ${err.message ?? err}`);
}
if (existsSync(`${reportFile}.log`)) process.stdout.write(readFileSync(`${reportFile}.log`, 'utf8'));
const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { passed: 0, failed: 1, failures: [] };
for (const f of report.failures) console.log(`\n${f.title}\n${f.error}`);
console.log(`extension-host: ${report.passed} passed, ${report.failed} failed`);
process.exit(code === 0 && report.failed === 0 && report.passed > 0 ? 0 : 1);
