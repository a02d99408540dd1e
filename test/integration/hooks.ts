/**
 * Mocha global fixtures of the integration layer: one sandbox (identity platform, Dovecot,
 * Postfix) for the whole layer, started before the first test and stopped after the last,
 * also on failure. Tests reach it through `sandbox()` in ./sandbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox';
import { setSandbox, takeSandbox } from './sandbox';

let stateDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  stateDir = mkdtempSync(join(tmpdir(), 'exchange-mail-integration-'));
  const started = Date.now();
  setSandbox(await startSandbox({ stateDir }));
  console.log(`  (sandbox started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await takeSandbox()?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}
