/**
 * One code-server with the packaged extension (the VSIX `npm test` just built) and one Chromium
 * on its workbench, shared by the UI tests of a file; screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { eventually } from '../eventually';
import { CodeServer, openWorkbench, startCodeServer, Workbench } from '../vscode/code-server';

export const resultsDir = resolve(__dirname, '..', '..', '..', 'test-results');

export interface Session {
  server: CodeServer;
  workbench: Workbench;
  page: Page;
  screenshot(name: string, target?: Locator): Promise<string>;
  runCommand(title: string): Promise<void>;
  /** The quick input (palette, prompts, wizard steps). */
  quickInput(): Locator;
  /** The Mailboxes view's pane. */
  mailboxesView(): Locator;
  /** The Mailboxes view's rows whose label is exactly `label`. */
  mailboxRow(label: string): Locator;
  /** Waits for the quick input showing `expected` (title, prompt or placeholder), types `value` (unless undefined) and presses Enter. */
  answer(expected: string, value?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(settings: Record<string, unknown> = {}): Promise<Session> {
  const vsix = process.env.EXCHANGE_MAIL_VSIX;
  if (!vsix) throw new Error('EXCHANGE_MAIL_VSIX is not set: run the UI layer through `npm test`, which packages the extension');
  const server = await startCodeServer({ vsixFiles: [vsix], settings });
  const workbench = await openWorkbench(server, { folder: mkdtempSync(join(tmpdir(), 'exchange-mail-ui-workspace-')) });
  const page = workbench.page;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.activitybar').waitFor({ timeout: 60000 });
  mkdirSync(resultsDir, { recursive: true });
  const quickInput = () => page.locator('.quick-input-widget');
  const mailboxesView = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Mailboxes' }) });
  return {
    server, workbench, page, quickInput, mailboxesView,
    mailboxRow(label) {
      const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      return mailboxesView().locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) });
    },
    async screenshot(name, target) {
      const path = join(resultsDir, `${name}.png`);
      await (target ?? page).screenshot({ path });
      return path;
    },
    async runCommand(title) {
      // Contributed commands appear in the palette only once the extension host has read the
      // extension: retry until the entry is there.
      const entry = await eventually(`the command "${title}" in the command palette`, async () => {
        await page.keyboard.press('F1');
        const input = quickInput().locator('input');
        await input.waitFor();
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        if (await row.isVisible({ timeout: 3000 }).catch(() => false)) return row;
        await page.keyboard.press('Escape');
        return undefined;
      }, { timeoutMs: 60_000, intervalMs: 0 });
      await entry.click();
    },
    async answer(expected, value) {
      const input = quickInput().locator('input.input');
      await eventually(`the quick input to show "${expected}"`, async () => {
        const shown = `${await quickInput().innerText().catch(() => '')}\n${await input.getAttribute('placeholder').catch(() => '')}`;
        if (await quickInput().isVisible() && shown.includes(expected)) return true;
        throw new Error(`it shows:\n${shown}`);
      });
      if (value !== undefined) await input.fill(value);
      await input.press('Enter');
    },
    async close() {
      await workbench.close();
      await server.stop();
    },
  };
}
