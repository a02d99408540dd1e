/**
 * Runs the extension-host suite inside code-server's Node extension host: the web workbench is
 * opened with extensionDevelopmentPath/extensionTestsPath, and `codeAutomationExit` brings back
 * the suite's exit code. Prints `extension-host: N passed, N failed`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkbench, startCodeServer } from './code-server';

const root = resolve(__dirname, '..', '..', '..');
const TIMEOUT_MS = 10 * 60 * 1000;

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'exchange-mail-ext-host-'));
  const reportFile = join(work, 'report.json');
  const server = await startCodeServer({ env: { EXCHANGE_MAIL_TEST_REPORT: reportFile } });
  let exitCode: number;
  try {
    let finished: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (finished = r));
    const workbench = await openWorkbench(server, {
      folder: join(work, 'workspace'),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'extension-host', 'index'),
      onExit: (code) => finished(code),
    });
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<number>((r) => (timer = setTimeout(() => r(-1), TIMEOUT_MS)));
      exitCode = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (exitCode === -1) console.error(`the extension-host suite did not finish within ${TIMEOUT_MS / 1000} s`);
    } finally {
      await workbench.close();
    }
  } finally {
    await server.stop();
  }
  if (existsSync(`${reportFile}.log`)) process.stdout.write(readFileSync(`${reportFile}.log`, 'utf8'));
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) as { passed: number; failed: number; failures: { title: string; error: string }[] } : undefined;
  rmSync(work, { recursive: true, force: true });
  if (!report) {
    console.log('the extension-host suite wrote no report: it did not load or crashed before its end');
    console.log('extension-host: 0 passed, 1 failed');
    return 1;
  }
  for (const failure of report.failures) console.log(`\n${failure.title}\n${failure.error}`);
  console.log(`extension-host: ${report.passed} passed, ${report.failed} failed`);
  return exitCode === 0 && report.failed === 0 && report.passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(err.stack ?? err.message);
  console.log('extension-host: 0 passed, 1 failed');
  process.exit(1);
});
