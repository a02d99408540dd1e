/**
 * A whole sandbox (identity platform, Dovecot, Postfix) for an extension-host suite, with the
 * person at the browser played by a timer: every device code shown is approved for `user`
 * through the identity platform's control API, so "Exchange Mail: Sign In" completes by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Sandbox, startSandbox } from '../sandbox';

export const ALICE = 'alice@contoso.test';

export interface ApprovingSandbox {
  box: Sandbox;
  stop(): Promise<void>;
}

export async function startApprovingSandbox(name: string, user = ALICE): Promise<ApprovingSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), `exchange-mail-${name}-`));
  const box = await startSandbox({ stateDir });
  box.identity.control.setDeviceCodeInterval(1);
  const approving = setInterval(() => {
    for (const pending of box.identity.control.pendingDeviceCodes()) {
      try {
        box.identity.control.approveDeviceCode(pending.userCode, user);
      } catch {
        // Approved or expired meanwhile: the next round sees the new one.
      }
    }
  }, 200);
  return {
    box,
    async stop() {
      clearInterval(approving);
      await box.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Writes `exchangeMail.accounts` in user settings, as the user would; undefined removes it. */
export async function setAccounts(value: unknown[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('exchangeMail').update('accounts', value, vscode.ConfigurationTarget.Global);
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
