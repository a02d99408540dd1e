/**
 * What the sandbox mailboxes hold: a realistic working mailbox for Alice (mixed read and
 * unread mail over three months, an attachment, an HTML-only newsletter, a German message with
 * encoded headers, nested project folders, a large notifications folder), and small mailboxes
 * for Bob, the shared mailbox and Carol. Dates count back from the seeding time (the seed
 * template is rewritten daily, see seed.ts), so the newest seeded message is at most a day old.
 */
import { Address, Message } from './message-format';
import {
  BENCH_FOLDER_COUNT, benchFolderName, BULK_FOLDER, BULK_MESSAGE_COUNT, CLIENT_FOLDERS, INBOX_CHILD_FOLDER, STANDARD_FOLDERS,
} from './mailbox-layout';

export interface SeededMessage extends Message {
  folder: string;
  seen: boolean;
  flagged?: boolean;
  draft?: boolean;
}

export interface SeededMailbox {
  address: string;
  /** Every folder to create, INBOX excepted, parents before children. */
  folders: string[];
  messages: SeededMessage[];
}

/** Subjects tests look for. */
export const SPECIAL_SUBJECTS = {
  nonAscii: 'Grüße aus Zürich – Quartalsbericht',
  attachment: 'Q3 budget review: figures attached',
  htmlOnly: 'Your Contoso weekly digest',
  newest: 'Re: Release 2.4 go/no-go',
};
export const NON_ASCII_SENDER = 'Jürgen Müller';
export const ATTACHMENT_FILE = 'budget-q3.pdf';

const ALICE: Address = { name: 'Alice Lindqvist', address: 'alice@contoso.test' };
const BOB: Address = { name: 'Bob Okafor', address: 'bob@contoso.test' };
const SHARED: Address = { name: 'Contoso Shared', address: 'shared@contoso.test' };
const CAROL: Address = { name: 'Carol Personal', address: 'carol@outlook.test' };

const people = {
  priya: { name: 'Priya Raman', address: 'priya.raman@contoso.test' },
  marco: { name: 'Marco Bianchi', address: 'marco.bianchi@contoso.test' },
  hannah: { name: 'Hannah Schmidt', address: 'hannah.schmidt@contoso.test' },
  it: { name: 'Contoso IT Service Desk', address: 'servicedesk@contoso.test' },
  hr: { name: 'Contoso People Team', address: 'people@contoso.test' },
  juergen: { name: NON_ASCII_SENDER, address: 'juergen.mueller@fabrikam.test' },
  fabrikam: { name: 'Elena Petrova', address: 'elena.petrova@fabrikam.test' },
  northwind: { name: 'Tom Becker', address: 'tom.becker@northwind.test' },
  digest: { name: 'Contoso Weekly', address: 'newsletter@contoso.test' },
  github: { name: 'Contoso DevOps', address: 'devops@contoso.test' },
  travel: { name: 'Contoso Travel', address: 'travel@contoso.test' },
  spam: { name: 'Prize Department', address: 'winner@lucky-prize.test' },
  builds: { name: 'Contoso Build Service', address: 'builds@contoso.test' },
};

const HOUR = 3_600_000;

/** A one-page PDF that says "Q3 budget". */
const PDF = Buffer.from(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 44 >> stream
BT /F1 24 Tf 40 70 Td (Q3 budget) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
`, 'latin1');

type Entry = [from: Address, subject: string, text: string, seen: boolean];

/** Alice's ordinary inbox mail, newest first; the special messages are added between them. */
const ALICE_INBOX: Entry[] = [
  [people.priya, SPECIAL_SUBJECTS.newest, 'Go from my side. The last blocker was fixed this morning and the smoke tests are green.\n\nPriya', false],
  [people.marco, 'Lunch on Thursday?', 'Hi Alice,\n\nthe new place on 5th opened. Thursday 12:30?\n\nMarco', false],
  [people.it, 'Scheduled maintenance: VPN gateway Saturday 06:00-08:00', 'The VPN gateway will be unavailable during the window. No action needed.', true],
  [people.hannah, 'Design review notes', 'Notes from today are in the team channel. Two open questions for you at the end.\n\nHannah', false],
  [people.github, '[contoso-web] Pull request #482: Add folder paging', 'Priya Raman requested your review on #482.', true],
  [BOB, 'Customer call moved to 15:00', 'Tom from Northwind asked to move it an hour later. Works for you?\n\nBob', true],
  [people.hr, 'Reminder: submit your time sheets', 'Time sheets for this month are due on Friday.', true],
  [people.fabrikam, 'Contract renewal draft', 'Please find our comments inline; we would like to close by the end of the month.\n\nElena', false],
  [people.priya, 'Release 2.4 go/no-go', 'Can everyone confirm go/no-go for tomorrow by noon?\n\nPriya', true],
  [people.travel, 'Your trip to Zurich is confirmed', 'Flight LX 1071, hotel Central. Have a good trip.', true],
  [people.marco, 'Re: Sprint planning', 'I moved the mail sync stories to the next sprint.', true],
  [people.northwind, 'Question about the API limits', 'Is the 30 requests per minute limit per user or per app?\n\nTom', false],
  [people.it, 'Your password expires in 7 days', 'Change it in the self-service portal before it expires.', true],
  [people.hannah, 'Offsite agenda', 'Draft agenda for the offsite is attached in the wiki.', true],
  [people.github, '[contoso-web] Build failed on main', 'Build 9912 failed in stage "integration".', true],
  [BOB, 'Slides for Monday', 'I put the slides in the shared folder.\n\nBob', true],
  [people.priya, 'On-call handover', 'Quiet week, two pages, both resolved. Details in the runbook.', true],
  [people.marco, 'Coffee chat', 'Free for a coffee chat this week?', true],
  [people.hr, 'Benefits enrollment opens next week', 'Enrollment runs for two weeks.', true],
  [people.fabrikam, 'Kickoff follow-up', 'Thanks for the kickoff. Minutes below.\n\nElena', true],
  [people.it, 'New laptop ready for pickup', 'Your replacement laptop is ready at the service desk.', true],
  [people.northwind, 'Invoice 2026-118', 'Invoice attached in the portal.', true],
  [people.hannah, 'Welcome to the team channel', 'Glad to have you here!', true],
  [people.priya, 'Architecture doc v2', 'Second draft ready for comments.', true],
  [people.github, '[contoso-web] Issue #455 assigned to you', 'Folder tree does not show unread counts.', true],
  [people.marco, 'Q4 planning kickoff', 'Kickoff is on the first Monday of October.', true],
];

function inboxMessages(owner: Address, entries: Entry[], startAt: number, step: number, prefix: string): SeededMessage[] {
  return entries.map(([from, subject, text, seen], i) => ({
    folder: 'INBOX', seen, from, to: [owner], subject,
    date: new Date(startAt - i * step), messageId: `${prefix}-${String(i + 1).padStart(3, '0')}@sandbox.contoso.test`,
    body: { kind: 'text', text },
  }));
}

function aliceSpecialMessages(now: number): SeededMessage[] {
  return [
    {
      folder: 'INBOX', seen: false, from: people.juergen, to: [ALICE], subject: SPECIAL_SUBJECTS.nonAscii,
      date: new Date(now - 5 * HOUR), messageId: 'alice-inbox-zuerich@sandbox.contoso.test',
      body: { kind: 'text', text: 'Liebe Alice,\n\nanbei die Zahlen für das dritte Quartal. Grüße aus Zürich!\n\nJürgen Müller\nFabrikam AG · Bahnhofstraße 1 · 8001 Zürich' },
    },
    {
      folder: 'INBOX', seen: true, flagged: true, from: people.hannah, to: [ALICE], subject: SPECIAL_SUBJECTS.attachment,
      date: new Date(now - 30 * HOUR), messageId: 'alice-inbox-attachment@sandbox.contoso.test',
      body: { kind: 'attachment', text: 'Hi Alice,\n\nthe Q3 figures are in the attached PDF.\n\nHannah', fileName: ATTACHMENT_FILE, contentType: 'application/pdf', content: PDF },
    },
    {
      folder: 'INBOX', seen: false, from: people.digest, to: [ALICE], subject: SPECIAL_SUBJECTS.htmlOnly,
      date: new Date(now - 80 * HOUR), messageId: 'alice-inbox-digest@sandbox.contoso.test',
      body: { kind: 'html', html: '<!DOCTYPE html><html><body><h1>Contoso weekly</h1><p>Three things happened this week:</p><ul><li><b>Release 2.4</b> shipped.</li><li>The Zurich office opened.</li><li>Lunch &amp; learn on <a href="https://contoso.test/oauth">OAuth2</a>.</li></ul></body></html>' },
    },
    {
      folder: 'INBOX', seen: true, from: people.marco, to: [ALICE, BOB], subject: 'Team photo',
      date: new Date(now - 200 * HOUR), messageId: 'alice-inbox-alternative@sandbox.contoso.test',
      body: { kind: 'alternative', text: 'The team photo is on the intranet.', html: '<p>The team photo is on the <a href="https://contoso.test/intranet">intranet</a>.</p>' },
    },
  ];
}

function simple(folder: string, from: Address, to: Address, subject: string, text: string, date: number, id: string, seen = true): SeededMessage {
  return { folder, seen, from, to: [to], subject, date: new Date(date), messageId: `${id}@sandbox.contoso.test`, body: { kind: 'text', text } };
}

function aliceFolderMessages(now: number): SeededMessage[] {
  const day = 24 * HOUR;
  return [
    { ...simple('Drafts', ALICE, people.priya, 'Re: Architecture doc v2', 'Looks good overall, two comments on the sync section:', now - 2 * day, 'alice-drafts-1', true), draft: true },
    simple('Sent Items', ALICE, BOB, 'Re: Customer call moved to 15:00', 'Works for me.', now - 3 * day, 'alice-sent-1'),
    simple('Sent Items', ALICE, people.marco, 'Re: Lunch on Thursday?', 'Sounds great, see you there.', now - 1 * day, 'alice-sent-2'),
    simple('Sent Items', ALICE, people.fabrikam, 'Contract renewal', 'Elena, our legal team will send comments this week.', now - 9 * day, 'alice-sent-3'),
    simple('Deleted Items', people.travel, ALICE, 'Special offers for your next trip', 'Book now and save.', now - 12 * day, 'alice-deleted-1'),
    simple('Deleted Items', people.it, ALICE, 'Printer on floor 3 is back', 'The printer works again.', now - 20 * day, 'alice-deleted-2'),
    simple('Junk Email', people.spam, ALICE, 'You have WON a prize!!!', 'Click here to claim your prize.', now - 4 * day, 'alice-junk-1', false),
    simple('Junk Email', people.spam, ALICE, 'Final notice: claim your reward', 'Last chance.', now - 6 * day, 'alice-junk-2', false),
    simple('Archive', people.priya, ALICE, 'Release 2.3 retrospective', 'Notes from the retro.', now - 60 * day, 'alice-archive-1'),
    simple('Archive', people.hr, ALICE, 'Welcome to Contoso', 'Welcome aboard, Alice!', now - 85 * day, 'alice-archive-2'),
    simple('Archive', BOB, ALICE, 'Old project notes', 'Archiving these.', now - 70 * day, 'alice-archive-3'),
    simple('Conversation History', people.marco, ALICE, 'Conversation with Marco Bianchi', '[10:02] Marco: standup in 5?\n[10:02] Alice: yes', now - 7 * day, 'alice-chat-1'),
    simple('Projects', people.priya, ALICE, 'Projects overview', 'All active projects are listed on the wiki.', now - 40 * day, 'alice-projects-1'),
    simple('Projects/2026', people.hannah, ALICE, '2026 roadmap', 'The 2026 roadmap is final.', now - 45 * day, 'alice-projects-2026-1'),
    simple('Projects/2026', people.marco, ALICE, '2026 budget split', 'Budget per quarter attached in the wiki.', now - 44 * day, 'alice-projects-2026-2', false),
    simple('Projects/2026/Q4', people.priya, ALICE, 'Q4 milestones', 'M1 mail sync, M2 send document, M3 diagnostics.', now - 30 * day, 'alice-q4-1'),
    simple('Projects/2026/Q4', people.hannah, ALICE, 'Q4 staffing', 'Two more engineers join in November.', now - 25 * day, 'alice-q4-2', false),
    simple('Projects/2026/Q4', BOB, ALICE, 'Q4 customer pilots', 'Northwind and Fabrikam agreed to pilot.', now - 15 * day, 'alice-q4-3'),
    simple(CLIENT_FOLDERS[0] as string, people.fabrikam, ALICE, 'Fabrikam: pilot scope', 'Scope as discussed.', now - 16 * day, 'alice-fabrikam-1'),
    simple(CLIENT_FOLDERS[0] as string, people.juergen, ALICE, 'Fabrikam: Zurich site visit', 'Visit confirmed.', now - 14 * day, 'alice-fabrikam-2', false),
    simple(CLIENT_FOLDERS[1] as string, people.northwind, ALICE, 'Northwind: pilot feedback', 'Feedback so far is positive.', now - 10 * day, 'alice-northwind-1'),
    simple(INBOX_CHILD_FOLDER, people.priya, ALICE, 'Team offsite agenda', 'Agenda for the offsite is on the wiki.', now - 8 * day, 'alice-team-1'),
    simple(INBOX_CHILD_FOLDER, people.marco, ALICE, 'Team lunch on Friday', 'Table booked for twelve.', now - 2 * day, 'alice-team-2', false),
  ];
}

/** 5,000 build notifications, one every 30 minutes back from now; the newest 40 unread. */
function bulkMessages(now: number): SeededMessage[] {
  const results = ['succeeded', 'succeeded', 'succeeded', 'failed', 'partially succeeded'];
  const branches = ['main', 'release/2.4', 'feature/folder-paging'];
  return Array.from({ length: BULK_MESSAGE_COUNT }, (_, i) => {
    const build = 20_000 - i;
    const result = results[i % results.length] as string;
    const branch = branches[i % branches.length] as string;
    return simple(BULK_FOLDER, people.builds, ALICE, `Build #${build} ${result}: contoso-web ${branch}`,
      `Build #${build} of contoso-web on ${branch} ${result}.\nDuration: ${3 + (i % 9)} min.`,
      now - 2 * HOUR - i * HOUR / 2, `alice-bulk-${String(i + 1).padStart(4, '0')}`, i >= 40);
  });
}

/** Three messages in each bench folder; every third folder has one unread. */
function benchMessages(now: number): SeededMessage[] {
  const messages: SeededMessage[] = [];
  for (let f = 0; f < BENCH_FOLDER_COUNT; f++) {
    for (let m = 0; m < 3; m++) {
      messages.push(simple(benchFolderName(f), people.builds, ALICE, `Bench ${f + 1}.${m + 1}`, `Bench message ${m + 1} of folder ${f + 1}.`,
        now - 100 * HOUR - f * 60_000 - m * 1000, `alice-bench-${f + 1}-${m + 1}`, !(m === 0 && f % 3 === 0)));
    }
  }
  return messages;
}

function parentsFirst(folders: string[]): string[] {
  return [...new Set(folders)].sort((a, b) => a.localeCompare(b));
}

export function aliceMailbox(now: number, withBenchFolders: boolean): SeededMailbox {
  const inbox = inboxMessages(ALICE, ALICE_INBOX, now - HOUR, 3 * 24 * HOUR / 2 + 7 * 60_000, 'alice-inbox');
  const messages = [...inbox, ...aliceSpecialMessages(now), ...aliceFolderMessages(now), ...bulkMessages(now),
    ...(withBenchFolders ? benchMessages(now) : [])];
  const folders = parentsFirst([...STANDARD_FOLDERS, 'Projects', 'Projects/2026', 'Projects/2026/Q4', ...CLIENT_FOLDERS, INBOX_CHILD_FOLDER, BULK_FOLDER,
    ...(withBenchFolders ? Array.from({ length: BENCH_FOLDER_COUNT }, (_, i) => benchFolderName(i)) : [])]);
  return { address: ALICE.address, folders, messages };
}

function smallMailbox(owner: Address, prefix: string, entries: Entry[], now: number): SeededMailbox {
  return {
    address: owner.address,
    folders: parentsFirst(STANDARD_FOLDERS),
    messages: [
      ...inboxMessages(owner, entries, now - 2 * HOUR, 26 * HOUR, `${prefix}-inbox`),
      simple('Sent Items', owner, ALICE, 'Hello from ' + owner.name, 'Just saying hello.', now - 100 * HOUR, `${prefix}-sent-1`),
    ],
  };
}

export function otherMailboxes(now: number): SeededMailbox[] {
  return [
    smallMailbox(BOB, 'bob', [
      [ALICE, 'Re: Customer call moved to 15:00', 'Works for me.', false],
      [people.northwind, 'Pilot kickoff', 'Looking forward to the pilot.\n\nTom', false],
      [people.it, 'Your mailbox is almost full', 'You have used 90% of your quota.', true],
    ], now),
    smallMailbox(SHARED, 'shared', [
      [people.northwind, 'Order 4471: delivery date', 'When will order 4471 ship?', false],
      [people.fabrikam, 'Support request: login fails', 'Our users cannot log in since this morning.', false],
      [people.hr, 'Office closed on Friday', 'The office is closed for maintenance.', true],
      [people.travel, 'Invoice for team event', 'Invoice attached.', true],
    ], now),
    smallMailbox(CAROL, 'carol', [
      [{ name: 'Dave Personal', address: 'dave@outlook.test' }, 'Weekend hike?', 'Saturday, 9am at the trailhead?', false],
      [{ name: 'Outlook.com Team', address: 'no-reply@outlook.test' }, 'Welcome to your new mailbox', 'Your mailbox is ready.', true],
    ], now),
  ];
}
