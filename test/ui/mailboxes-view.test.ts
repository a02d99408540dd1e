import * as assert from 'node:assert/strict';
import { openSession, Session } from './workbench-session';

describe('The Mail sidebar in VS Code (UI)', function () {
  let session: Session;

  before(async () => {
    session = await openSession();
  });

  after(async () => {
    await session?.close();
  });

  it('clicking the Mail icon shows the Mailboxes view with its welcome content', async () => {
    const { page } = session;
    await page.locator('.activitybar .action-item a[aria-label^="Mail"]').click();
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Mailboxes' }) });
    await view.waitFor({ timeout: 30000 });
    const welcome = view.locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 30000 });
    assert.match(await welcome.innerText(), /No mail account yet/);
    await session.screenshot('mailboxes-welcome');
  });

  it('"Exchange Mail: Show Log" opens the Exchange Mail log', async () => {
    const { page } = session;
    await session.runCommand('Exchange Mail: Show Log');
    const panel = page.locator('.part.panel');
    const log = panel.locator('.view-lines', { hasText: 'Exchange Mail 0.1.0 activated' });
    await log.waitFor({ timeout: 30000 });
    assert.match((await log.innerText()).replace(/\s+/g, " "), /\[info\] Exchange Mail 0\.1\.0 activated/);
    await session.screenshot('show-log');
  });
});
