/**
 * The extension-host suite's entry: VS Code (code-server's web workbench or desktop VS Code
 * through @vscode/test-electron) loads this module inside its extension host and calls `run()`.
 * Results go to the file named by EXCHANGE_MAIL_TEST_REPORT, since the extension host's console
 * is not the terminal of whoever started the run.
 */
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Report {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

export async function run(): Promise<void> {
  const reportFile = process.env.EXCHANGE_MAIL_TEST_REPORT;
  const write = (line: string) => {
    if (reportFile) appendFileSync(`${reportFile}.log`, `${line}\n`);
    else console.log(line);
  };
  class LineReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      runner.on('pass', (test) => write(`  ok   ${test.fullTitle()}`));
      runner.on('fail', (test, err: Error) => write(`  FAIL ${test.fullTitle()}\n       ${err.message}`));
    }
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: LineReporter });
  // EXCHANGE_MAIL_TEST_FILES=mailboxes,mailbox-cache runs only those suites (by file name, without .test.js).
  const only = process.env.EXCHANGE_MAIL_TEST_FILES?.split(',').map((name) => `${name.trim()}.test.js`);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (!only || only.includes(f))).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const report: Report = { passed: 0, failed: 0, failures: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => report.passed++);
    runner.on('fail', (test, err: Error) => {
      report.failed++;
      report.failures.push({ title: test.fullTitle(), error: err.stack ?? err.message });
    });
  });
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report));
  if (report.failed > 0 || report.passed === 0) {
    throw new Error(`${report.failed} of ${report.passed + report.failed} extension-host tests failed`);
  }
}
