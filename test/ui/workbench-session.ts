/**
 * One code-server with the packaged extension (the VSIX `npm test` just built) and one Chromium
 * on its workbench, shared by the UI tests of a file; screenshots go to test-results/.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { eventually } from '../eventually';
import { CodeServer, openWorkbench, startCodeServer, Workbench } from '../vscode/code-server';

export const resultsDir = resolve(__dirname, '..', '..', '..', 'test-results');

/** Settings for typing into a draft: no suggestion may take the Enter. */
export const TYPING_SETTINGS = {
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
};

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
  /**
   * Opens the Mail container, signs in with the palette's Sign In (the sandbox approves the device
   * code) and opens the Inbox, once the status bar shows `status` (the Inbox watch's first count),
   * until `message` is shown.
   */
  signInAndOpenInbox(status: string, message: string): Promise<void>;
  /** Clicks the Mailboxes view's title action `title` (its tooltip). */
  viewTitleAction(title: string): Promise<void>;
  /** The notification toasts showing `text`. */
  toast(text: string | RegExp): Locator;
  /** The editors' lines showing `text`. */
  editorText(text: string): Locator;
  /** Right-click on `target`, then the menu entry `entry` (exactly), as a user picks it. */
  contextMenu(target: Locator, entry: string): Promise<void>;
  /** Clicks a message row of the Mailboxes view, which opens it in a tab, and brings the keyboard back to the view, with that row selected. */
  selectMessage(label: string): Promise<void>;
  /** The keyboard to the Mailboxes view, as clicking its empty space does. */
  focusMailboxes(): Promise<void>;
  clearNotifications(): Promise<void>;
  /** Closes the active editor without saving (a draft not sent). */
  discardEditor(): Promise<void>;
  /** Sends the active draft with the palette's Send Current Document…; resolves with the notification's text. */
  sendActiveDraft(): Promise<string>;
  /** After a failed test: a screenshot, the extension's log and the notifications, then Escape twice so that what it left open takes no more keys. */
  reportFailure(name: string): Promise<void>;
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
  const toast = (text: string | RegExp) => page.locator('.notification-toast', { hasText: text });
  const session: Session = {
    server, workbench, page, quickInput, mailboxesView, toast,
    mailboxRow(label) {
      return mailboxesView().locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
    },
    editorText(text) {
      return page.locator('.editor-instance .view-lines', { hasText: text });
    },
    async screenshot(name, target) {
      const path = join(resultsDir, `${name}.png`);
      await (target ?? page).screenshot({ path });
      return path;
    },
    async signInAndOpenInbox(status, message) {
      await page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
      await session.runCommand('Exchange Mail: Sign In');
      await session.mailboxRow('Inbox').waitFor({ timeout: 90_000 });
      // The Inbox watch's first count redraws the Inbox: opened while that redraw is under way, VS Code
      // keeps rows whose commands are gone (clicks do nothing). The status bar shows that count.
      await page.locator('.part.statusbar .statusbar-item', { hasText: status }).waitFor({ timeout: 30_000 });
      await session.mailboxRow('Inbox').click();
      await session.mailboxRow(message).waitFor({ timeout: 30_000 });
      await session.clearNotifications();
    },
    async viewTitleAction(title) {
      // The only view of its container: its actions are in the side bar's title.
      const sidebar = page.locator('.part.sidebar');
      await sidebar.hover();
      await sidebar.locator(`.title-actions .action-label[aria-label^=${JSON.stringify(title)}]`).first().click();
    },
    async contextMenu(target, entry) {
      for (let attempt = 1; ; attempt++) {
        await target.click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu');
        await menu.waitFor({ timeout: 10_000 });
        // The workbench ignores a click on a menu that has only just opened (the right button's release).
        await page.waitForTimeout(500);
        await menu.locator('.action-label', { hasText: exactly(entry) }).click();
        if (await menu.waitFor({ state: 'detached', timeout: 5_000 }).then(() => true, () => false)) return;
        if (attempt === 3) assert.fail(`the menu entry "${entry}" could not be clicked`);
        await page.keyboard.press('Escape');
      }
    },
    async selectMessage(label) {
      const target = session.mailboxRow(label);
      await target.click();
      await page.locator('.tab.active', { hasText: label }).waitFor({ timeout: 30_000 });
      await session.focusMailboxes();
      await eventually(`"${label}" selected in the focused view`, async () => (await target.getAttribute('aria-selected')) === 'true'
        && await mailboxesView().locator('.monaco-list:focus-within').count() > 0);
    },
    async focusMailboxes() {
      await mailboxesView().locator('.monaco-list').first().focus();
    },
    async clearNotifications() {
      await session.runCommand('Notifications: Clear All Notifications');
      await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    },
    async discardEditor() {
      await session.runCommand('View: Revert and Close Editor');
    },
    async sendActiveDraft() {
      await session.runCommand('Exchange Mail: Send Current Document…');
      const sent = toast('Message-ID');
      await sent.waitFor({ timeout: 60_000 });
      return sent.innerText();
    },
    async reportFailure(name) {
      await session.screenshot(name);
      for (const log of extensionLogs(server.userDataDir)) console.log(`--- ${log}\n${readFileSync(log, 'utf8').slice(-3000)}`);
      await session.runCommand('Notifications: Show Notifications');
      console.log(`--- notifications\n${await page.locator('.notifications-center').innerText().catch((err: Error) => err.message)}`);
      await session.screenshot(`${name}-notifications`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
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
  return session;
}

/** Matches `text` and nothing more. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
}

function extensionLogs(userDataDir: string): string[] {
  return readdirSync(userDataDir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /Exchange Mail\.log$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}
