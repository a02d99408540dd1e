/**
 * Reply, Reply All, Forward and New Message: each opens an untitled Markdown draft whose front
 * matter "Send Current Document" reads (the core's `replyDraft`, `forwardDraft`, `newMessageDraft`).
 * The draft is an ordinary document: edit it, save it or not, send it when ready; once sent,
 * the original is marked answered or forwarded (./original-marks).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ReplyKind } from '../../mail/compose';
import type { MessageDocument } from '../../mail/imap/message-document';
import { loadCore } from '../bundle-loader';
import { lastSenderId } from '../send/sender-account';
import { showError } from '../show-error';
import type { MessageNode } from '../tree/mail-nodes';
import { inView, MailboxCommandContext } from './mailbox-commands';
import { findMessage } from './message-commands';

export interface DraftCommandContext extends MailboxCommandContext {
  /** Where a forward's attachments are written: the extension's global storage. */
  storage: vscode.Uri;
  /** Where the last sender is remembered (the extension's globalState). */
  memento: vscode.Memento;
}

/** Forwarded attachments older than this are removed when the next forward writes its own. */
const FORWARDED_KEPT_MS = 14 * 86_400_000;

const LABELS: Record<ReplyKind, string> = { reply: 'Reply', replyAll: 'Reply All', forward: 'Forward' };

async function openDraft(text: string, cursorOffset: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  const cursor = document.positionAt(cursorOffset);
  // The cursor is where the user writes from the moment the draft shows: set afterwards, it came
  // too late for keys typed at once, which went to the top, before the front matter.
  return vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(cursor, cursor) });
}

/** `name.pdf`, then `name (2).pdf` for a second attachment of the same name. */
function distinctName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${extension}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Removes what earlier forwards wrote long ago; a draft still open that long is rare, and its send names the file. */
async function removeOldForwards(folder: vscode.Uri): Promise<void> {
  const entries = await vscode.workspace.fs.readDirectory(folder).then((e) => e, () => []);
  for (const [name] of entries) {
    const uri = vscode.Uri.joinPath(folder, name);
    const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
    if (stat && Date.now() - stat.mtime > FORWARDED_KEPT_MS) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  }
}

/** Writes the original's attachments to a folder of their own; resolves with their paths. */
async function writeAttachments(context: DraftCommandContext, found: NonNullable<ReturnType<typeof findMessage>>, document: MessageDocument): Promise<string[]> {
  if (document.attachments.length === 0) return [];
  const forwarded = vscode.Uri.joinPath(context.storage, 'forwarded');
  await removeOldForwards(forwarded);
  const folder = vscode.Uri.joinPath(forwarded, randomUUID());
  const taken = new Set<string>();
  const paths: string[] = [];
  for (const attachment of document.attachments) {
    const bytes = await context.mail.attachment(found.account, found.address.folder, found.address.uid, attachment.index);
    const file = vscode.Uri.joinPath(folder, distinctName(attachment.filename, taken));
    await vscode.workspace.fs.writeFile(file, bytes);
    paths.push(file.fsPath);
  }
  return paths;
}

/**
 * "Reply", "Reply All" or "Forward" on a message of the view, on the open message's tab, or from
 * the palette (the active message tab, else the message selected in the view). Resolves with
 * the draft's editor.
 */
export async function replyCommand(context: DraftCommandContext, kind: ReplyKind, argument?: MessageNode | vscode.Uri,
  selected?: () => MessageNode | undefined): Promise<vscode.TextEditor | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const found = findMessage(context, argument ?? (active && findMessage(context, active) ? active : selected?.()));
  if (!found) {
    void vscode.window.showInformationMessage(`Open a message, or pick one in the Mailboxes view, to ${LABELS[kind].toLowerCase()}.`);
    return undefined;
  }
  const { account, address } = found;
  try {
    const core = loadCore();
    const { text, cursorOffset } = await inView(async () => {
      const original = await context.mail.openMessage(account, address.folder, address.uid);
      const options = { from: account.address, original: { mailboxId: account.id, folder: address.folder, uid: address.uid } };
      if (kind === 'forward') return core.forwardDraft(original, { ...options, attachments: await writeAttachments(context, found, original) });
      return core.replyDraft(original, kind === 'replyAll', { ...options, ownAddresses: context.settings.mailboxes().map((m) => m.address) });
    });
    return await openDraft(text, cursorOffset);
  } catch (err) {
    const action = await showError(err, context.log, `${LABELS[kind]} failed`);
    if (action === 'retry') return replyCommand(context, kind, argument, selected);
    if (action === 'signIn') await vscode.commands.executeCommand('exchangeMail.signIn', account.id);
    return undefined;
  }
}

/** "New Message": a draft from the last sender (else the first account), `to:` and `subject:` to fill in. */
export async function newMessageCommand(context: DraftCommandContext): Promise<vscode.TextEditor> {
  const mailboxes = context.settings.mailboxes();
  const lastId = lastSenderId(context.memento);
  const from = (mailboxes.find((m) => m.id === lastId) ?? mailboxes.find((m) => m.protocols.includes('smtp')))?.address;
  const { text, cursorOffset } = loadCore().newMessageDraft(from);
  return openDraft(text, cursorOffset);
}
