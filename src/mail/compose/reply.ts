/**
 * Reply, Reply All, Forward and New Message as Markdown drafts that "Send Current Document"
 * sends: front matter with the sender, the recipients, the subject, the thread's Message-IDs
 * and where the original is (to mark it answered or forwarded once sent), then the original
 * quoted (Reply) or under a "Forwarded message" block (Forward). Pure: the UI reads the
 * original and writes its attachments to files.
 */
import { formatAddress, MailAddress } from './addresses';
import { writeFrontMatter } from './front-matter';

/** What a draft needs of the message it answers or forwards (an opened message has it all). */
export interface OriginalMessage {
  /** With angle brackets; absent when the message has none. */
  messageId?: string;
  /** Its own References, oldest first, with angle brackets. */
  references: readonly string[];
  subject: string;
  from: readonly MailAddress[];
  replyTo: readonly MailAddress[];
  to: readonly MailAddress[];
  cc: readonly MailAddress[];
  date?: Date;
  /** The readable body. */
  text: string;
}

export type ReplyKind = 'reply' | 'replyAll' | 'forward';

/** The mark the original gets on the server once the reply or forward is sent. */
export type OriginalMark = 'answered' | 'forwarded';

/** Where the original is: the mailbox (an account or a shared mailbox, by id), the folder and the UID. */
export interface OriginalReference {
  mark: OriginalMark;
  mailboxId: string;
  folder: string;
  uid: number;
}

/** A draft's text, and where the cursor goes: the empty line for the user's words. */
export interface DraftText {
  text: string;
  cursorOffset: number;
}

export interface DraftOptions {
  /** The address the draft is sent from: the mailbox the original is in. */
  from: string;
  /** The user's addresses (accounts and shared mailboxes), left out of Reply All. */
  ownAddresses: readonly string[];
  original: Omit<OriginalReference, 'mark'>;
  /** Minutes east of UTC for dates in the quote line; the machine's zone by default. */
  utcOffsetMinutes?: number;
}

export interface ForwardOptions extends Omit<DraftOptions, 'ownAddresses'> {
  /** The original's attachments, written to files, as the front matter lists them. */
  attachments: readonly string[];
}

const REPLY_PREFIX = /^\s*(?:re|aw|sv|antw)(?:\s*\[\d+\]|\s*\(\d+\))?\s*:\s*/i;
const FORWARD_PREFIX = /^\s*(?:fwd?|wg|tr)(?:\s*\[\d+\]|\s*\(\d+\))?\s*:\s*/i;

function withoutPrefixes(subject: string, prefix: RegExp): string {
  let rest = subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  for (let stripped = rest.replace(prefix, ''); stripped !== rest; stripped = rest.replace(prefix, '')) rest = stripped;
  return rest;
}

/** `Re: ` once: the reply prefixes already there (Re:, RE:, AW:, SV:, Antw:, Re[2]:) are not repeated. */
export function replySubject(subject: string): string {
  return `Re: ${withoutPrefixes(subject, REPLY_PREFIX)}`.trim();
}

/** `Fw: ` once: the forward prefixes already there (Fwd:, FW:, WG:, TR:) are not repeated. */
export function forwardSubject(subject: string): string {
  return `Fw: ${withoutPrefixes(subject, FORWARD_PREFIX)}`.trim();
}

function uniqueAddresses(addresses: readonly MailAddress[], leaveOut: (a: MailAddress) => boolean = () => false): MailAddress[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = a.address.toLowerCase();
    if (!a.address || seen.has(key) || leaveOut(a)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Who a reply goes to: the Reply-To, else the sender; Reply All adds the other To and Cc. The
 * user's own addresses are left out, unless nobody else is left (a note to oneself). A reply to
 * one's own message (from Sent Items) goes to whom it went to, as mail clients do.
 */
export function replyRecipients(original: OriginalMessage, all: boolean, ownAddresses: readonly string[]): { to: MailAddress[]; cc: MailAddress[] } {
  const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
  const isOwn = (a: MailAddress) => own.has(a.address.toLowerCase());
  const fromMe = original.from.length > 0 && original.from.every(isOwn);
  const primary = fromMe ? original.to : original.replyTo.length ? original.replyTo : original.from;
  const everyone = all ? [...primary, ...original.to] : primary;
  let to = uniqueAddresses(everyone, isOwn);
  let cc = all ? uniqueAddresses(original.cc, (a) => isOwn(a) || to.some((t) => t.address.toLowerCase() === a.address.toLowerCase())) : [];
  if (to.length === 0 && cc.length > 0) [to, cc] = [cc, []];
  if (to.length === 0) to = uniqueAddresses(primary);
  return { to, cc };
}

/** The reply's References: the original's, then its own Message-ID. */
export function replyReferences(original: OriginalMessage): string[] {
  const ids = original.messageId ? [...original.references, original.messageId] : [...original.references];
  return [...new Set(ids)];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue, 3 Mar 2026 at 14:05` in the given zone. */
export function quoteDate(date: Date, utcOffsetMinutes = -date.getTimezoneOffset()): string {
  const local = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}`
    + ` at ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
}

/** Lines ending in a Markdown hard break where another line follows, so the HTML keeps the original's line ends. */
function keepLineEnds(lines: string[]): string[] {
  return lines.map((line, i) => (line.trim() && lines[i + 1]?.trim() ? `${line}  ` : line));
}

/** The text quoted with `> `, blank lines as `>`. */
export function quoteText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((line) => line.trimEnd());
  return keepLineEnds(lines).map((line) => (line ? `> ${line}` : '>')).join('\n');
}

const sender = (original: OriginalMessage) => original.from.map(formatAddress).join(', ') || 'Unknown sender';

/** `On Tue, 3 Mar 2026 at 14:05, Priya Raman <priya@contoso.com> wrote:`. */
export function attributionLine(original: OriginalMessage, utcOffsetMinutes?: number): string {
  return original.date ? `On ${quoteDate(original.date, utcOffsetMinutes)}, ${sender(original)} wrote:` : `${sender(original)} wrote:`;
}

/** `answered 42 alice@contoso.com Inbox`: the folder last, as it may hold spaces. */
export function formatOriginalReference(reference: OriginalReference): string {
  return `${reference.mark} ${reference.uid} ${reference.mailboxId} ${reference.folder}`;
}

export function parseOriginalReference(text: string | undefined): OriginalReference | undefined {
  const match = /^(answered|forwarded) (\d+) (\S+) (.+)$/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { mark: match[1] as OriginalMark, uid: Number(match[2]), mailboxId: match[3]!, folder: match[4]! };
}

/** The front matter, an empty line for the user's words (where the cursor goes), then the body. */
function draft(frontMatter: string, body: string): DraftText {
  return { text: `${frontMatter}\n${body}`, cursorOffset: frontMatter.length };
}

/** A Reply or Reply All draft: recipients, `Re:` subject, the thread's ids, and the original quoted. */
export function replyDraft(original: OriginalMessage, all: boolean, options: DraftOptions): DraftText {
  const { to, cc } = replyRecipients(original, all, options.ownAddresses);
  const frontMatter = writeFrontMatter({
    from: options.from,
    to: to.map(formatAddress),
    cc: cc.map(formatAddress),
    subject: replySubject(original.subject),
    inReplyTo: original.messageId,
    references: replyReferences(original),
    original: formatOriginalReference({ ...options.original, mark: 'answered' }),
  });
  const quoted = original.text.trim() ? quoteText(original.text) : '>';
  return draft(frontMatter, `\n${attributionLine(original, options.utcOffsetMinutes)}\n\n${quoted}\n`);
}

/** The block above a forwarded message's text: who sent it, when, what, to whom. */
export function forwardedBlock(original: OriginalMessage, utcOffsetMinutes?: number): string {
  const list = (addresses: readonly MailAddress[]) => addresses.map(formatAddress).join(', ');
  const lines = [
    `From: ${sender(original)}`,
    ...(original.date ? [`Date: ${quoteDate(original.date, utcOffsetMinutes)}`] : []),
    `Subject: ${original.subject}`,
    ...(original.to.length ? [`To: ${list(original.to)}`] : []),
    ...(original.cc.length ? [`Cc: ${list(original.cc)}`] : []),
  ];
  return ['---------- Forwarded message ----------', ...keepLineEnds(lines)].join('\n');
}

/** A Forward draft: no recipient yet, `Fw:` subject, the original's attachments, and the original below its block. */
export function forwardDraft(original: OriginalMessage, options: ForwardOptions): DraftText {
  const frontMatter = writeFrontMatter({
    from: options.from,
    subject: forwardSubject(original.subject),
    attachments: [...options.attachments],
    original: formatOriginalReference({ ...options.original, mark: 'forwarded' }),
  });
  const text = original.text.replace(/\r\n?/g, '\n').trim();
  return draft(frontMatter, `\n${forwardedBlock(original, options.utcOffsetMinutes)}\n\n${text}\n`);
}

/** A New Message draft: the sender when known, `to:` and `subject:` to fill in; the cursor after `to:`. */
export function newMessageDraft(from: string | undefined): DraftText {
  const { text } = draft(writeFrontMatter({ from }), '');
  return { text, cursorOffset: text.indexOf('\nto:') + '\nto:'.length };
}
