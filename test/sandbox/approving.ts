/**
 * A whole sandbox (identity platform, Dovecot, Postfix) with the person at the browser played by
 * a timer: every device code shown is approved for `user` through the identity platform's
 * control API, so "Exchange Mail: Sign In" completes by itself. For the extension-host and UI
 * suites, which sign in the way a user does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, startSandbox } from './index';

export const ALICE = 'alice@contoso.test';

export interface ApprovingSandbox {
  box: Sandbox;
  /** From now on, device codes are approved as this person. */
  approveAs(upn: string): void;
  stop(): Promise<void>;
}

export async function startApprovingSandbox(name: string, user = ALICE): Promise<ApprovingSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), `exchange-mail-${name}-`));
  const box = await startSandbox({ stateDir });
  box.identity.control.setDeviceCodeInterval(1);
  let person = user;
  const approving = setInterval(() => {
    for (const pending of box.identity.control.pendingDeviceCodes()) {
      try {
        box.identity.control.approveDeviceCode(pending.userCode, person);
      } catch {
        // Approved or expired meanwhile: the next round sees the new one.
      }
    }
  }, 200);
  return {
    box,
    approveAs(upn) {
      person = upn;
    },
    async stop() {
      clearInterval(approving);
      await box.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
