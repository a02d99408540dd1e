/**
 * Opening a reply draft for a 1 MB message: the time from Reply on a message not read yet in
 * this session to the draft's text (what the Reply command runs before it opens the editor:
 * `ImapSession.openMessage` — UID FETCH of the source, parsed — then `replyDraft`: recipients,
 * front matter, the original quoted), next to opening the same message as the reading tab does
 * (`openMessage`, then `renderMessageDocument`), in the same run. The message is a 1 MB report
 * (text and HTML alternatives, quoted-printable UTF-8) appended to alice's Inbox for this
 * benchmark only. Each run starts with a new session, logged in with the Inbox selected (its
 * page shown), so neither side finds the message in the session's cache.
 */
import { renderMessageDocument } from '../../src/mail/imap/message-document';
import { replyDraft } from '../../src/mail/compose/reply';
import { ImapSession } from '../../src/mail/imap/session';
import { ALICE, cachedCredentials, ImapSandbox } from '../integration/imap-sandbox';
import { renderMessage } from '../sandbox/mail/message-format';
import { alternate, bareImap, MailboxBenchResult, withBenchSandbox } from './mailbox-bench';

const MESSAGE_BYTES = 1024 * 1024;
const TARGET_RATIO = 1.5;
const FOLDER = 'INBOX';

/** A test report of about `bytes` bytes on disk: a text and an HTML alternative of the same lines. */
export function reportMessage(bytes: number): Buffer {
  const render = (lines: number) => {
    const rows = Array.from({ length: lines }, (_, i) => ({
      suite: ['FolderTree', 'MessagePage', 'SendDocument', 'InboxWatch'][i % 4]!,
      test: `case ${String(i + 1).padStart(5, '0')}`,
      ms: 3 + (i * 7) % 90,
      result: i % 97 === 0 ? 'failed — Zürich runner timed out' : 'passed',
    }));
    const text = ['Hi Alice,', '', 'the nightly run of release 2.4 is below; the failures are all on the Zürich runner.', '',
      ...rows.map((r) => `${r.suite} ${r.test}: ${r.result} in ${r.ms} ms`), '', 'Priya'].join('\n');
    const html = `<html><body><p>Hi Alice,</p><p>the nightly run of release 2.4 is below; the failures are all on the Zürich runner.</p>\n<table>\n${
      rows.map((r) => `<tr><td>${r.suite}</td><td>${r.test}</td><td>${r.result}</td><td>${r.ms} ms</td></tr>`).join('\n')}\n</table><p>Priya</p></body></html>`;
    return renderMessage({
      messageId: 'nightly-2.4-report@contoso.test',
      from: { name: 'Priya Raman', address: 'priya@contoso.test' },
      to: [{ name: 'Alice Smith', address: ALICE }, { name: 'Bob Okafor', address: 'bob@contoso.test' }],
      subject: 'Nightly test report: release 2.4',
      date: new Date(Date.now() - 3_600_000),
      inReplyTo: 'nightly-2.4-plan@contoso.test',
      body: { kind: 'alternative', text, html },
    }).replace(/\n/g, '\r\n');
  };
  // Lines in proportion to the size asked for: one trial, then the count scaled.
  const trial = Buffer.byteLength(render(1000));
  return Buffer.from(render(Math.round((1000 * bytes) / trial)));
}

/** Appends the message with one LITERAL+ APPEND; resolves with its UID (APPENDUID). */
async function appendMessage(sandbox: ImapSandbox, message: Buffer): Promise<number> {
  const wire = await bareImap(sandbox);
  try {
    wire.write(Buffer.concat([Buffer.from(`p APPEND ${FOLDER} {${message.length}+}\r\n`), message, Buffer.from('\r\n')]));
    const done = (await wire.until('p')).at(-1)!;
    const uid = /\[APPENDUID \d+ (\d+)\]/.exec(done)?.[1];
    if (!uid) throw new Error(`APPEND of the 1 MB message: ${done}`);
    return Number(uid);
  } finally {
    wire.close();
  }
}

export async function benchReply(options: { runs?: number } = {}): Promise<MailboxBenchResult[]> {
  const runs = options.runs ?? 9;
  return withBenchSandbox('reply', async (sandbox) => {
    const message = reportMessage(MESSAGE_BYTES);
    const uid = await appendMessage(sandbox, message);
    const original = { mailboxId: ALICE, folder: FOLDER, uid };
    let draftChars = 0;
    let documentChars = 0;
    /** A new session with the Inbox's page shown, then `work` timed. */
    const timed = async (work: (session: ImapSession) => Promise<number>) => {
      const session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox) });
      try {
        await session.messagePage(FOLDER);
        const started = performance.now();
        const chars = await work(session);
        const ms = performance.now() - started;
        if (chars < message.length / 4) throw new Error(`only ${chars} characters from a ${message.length}-byte message`);
        return ms;
      } finally {
        await session.close();
      }
    };
    const reply = () => timed(async (session) => {
      const document = await session.openMessage(FOLDER, uid);
      draftChars = replyDraft(document, false, { from: ALICE, ownAddresses: [ALICE], original }).text.length;
      return draftChars;
    });
    const open = () => timed(async (session) => {
      documentChars = renderMessageDocument(await session.openMessage(FOLDER, uid)).length;
      return documentChars;
    });
    const measured = await alternate(runs, reply, open);
    return [{
      name: 'reply-draft-1mb-message',
      unit: `ms from Reply (new session, Inbox shown) to the draft's text, vs opening the message (median of ${runs})`,
      value: measured.value, baseline: measured.baseline, ratio: measured.ratio,
      detail: { target: TARGET_RATIO, ...measured.detail, messageBytes: message.length, draftChars, documentChars },
    }];
  });
}
