/**
 * Reading a message: "Open Message" shows it read-only in an editor tab, "Save Attachment…"
 * writes one of its attachments where the user says in the save dialog.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import type { AttachmentInfo, MessageDocument } from '../../mail/imap/message-document';
import { showError } from '../show-error';
import type { MessageNode } from '../tree/mail-nodes';
import { inView, MailboxCommandContext } from './mailbox-commands';
import { MessageAddress, messageUri, parseMessageUri } from './message-documents';

/**
 * Fetches the message (once per session; with BODY.PEEK, so it stays unread: marking it read is
 * the user's call, through "Mark as Read") and opens its tab. Resolves with the document.
 */
export async function openMessage(context: MailboxCommandContext, node?: MessageNode): Promise<vscode.TextDocument | undefined> {
  if (!node) {
    void vscode.window.showInformationMessage('Open a message from the Mailboxes view.');
    return undefined;
  }
  const { account, folder, message } = node;
  try {
    await inView(() => context.mail.openMessage(account, folder, message.uid));
  } catch (err) {
    const action = await showError(err, context.log, `Opening "${message.subject || '(no subject)'}" failed`);
    if (action === 'retry') return openMessage(context, node);
    if (action === 'signIn') await vscode.commands.executeCommand('exchangeMail.signIn', account.id);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(messageUri({ accountId: account.id, folder, uid: message.uid }, message.subject));
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}

/**
 * For callers other than a person: which attachment, and where the save dialog starts. The
 * dialog always opens: a received file is written only where the user says, never where a
 * caller (another extension, a link) asks.
 */
export interface SaveAttachmentOptions {
  index?: number;
  target?: vscode.Uri;
}

/**
 * "Save Attachment…" from a message in the view, the title of a message tab, or the palette while
 * a message tab is active: picks the attachment when there are several, asks where to save it,
 * and writes its bytes. Resolves with where it went.
 */
export async function saveAttachment(context: MailboxCommandContext, argument?: MessageNode | vscode.Uri,
  options: SaveAttachmentOptions = {}): Promise<vscode.Uri | undefined> {
  const found = findMessage(context, argument ?? vscode.window.activeTextEditor?.document.uri);
  if (!found) {
    void vscode.window.showInformationMessage('Open a message, or pick one in the Mailboxes view, to save its attachment.');
    return undefined;
  }
  const { account, address } = found;
  try {
    const document = await inView(() => context.mail.openMessage(account, address.folder, address.uid));
    const attachment = await pickAttachment(document, options.index);
    if (!attachment) return undefined;
    // The name was made safe to show and save when the message was read (src/mail/received-file-name.ts).
    const target = await vscode.window.showSaveDialog({
      title: `Save ${attachment.filename}`,
      saveLabel: 'Save Attachment',
      defaultUri: options.target ?? vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()), attachment.filename),
    });
    if (!target) return undefined;
    const bytes = await context.mail.attachment(account, address.folder, address.uid, attachment.index);
    await vscode.workspace.fs.writeFile(target, bytes);
    context.log.info(`Saved the attachment ${attachment.filename} (${bytes.length} bytes) to ${target.toString(true)}`);
    void vscode.window.showInformationMessage(`Saved ${attachment.filename} to ${target.scheme === 'file' ? target.fsPath : target.toString(true)}.`);
    return target;
  } catch (err) {
    const action = await showError(err, context.log, 'Saving the attachment failed');
    if (action === 'retry') return saveAttachment(context, argument, options);
    if (action === 'signIn') await vscode.commands.executeCommand('exchangeMail.signIn', account.id);
    return undefined;
  }
}

/** The message a command is about: a node of the view, or the address of a message tab. */
export function findMessage(context: MailboxCommandContext, argument: MessageNode | vscode.Uri | undefined): { account: Account; address: MessageAddress } | undefined {
  if (argument instanceof vscode.Uri) {
    const address = parseMessageUri(argument);
    const account = address && context.settings.find(address.accountId);
    return address && account ? { account, address } : undefined;
  }
  if (argument?.kind === 'message') {
    return { account: argument.account, address: { accountId: argument.account.id, folder: argument.folder, uid: argument.message.uid } };
  }
  return undefined;
}

async function pickAttachment(document: MessageDocument, index: number | undefined): Promise<AttachmentInfo | undefined> {
  const { attachments } = document;
  if (index !== undefined) return attachments[index];
  if (attachments.length === 0) {
    void vscode.window.showInformationMessage(`"${document.subject || '(no subject)'}" has no attachments.`);
    return undefined;
  }
  if (attachments.length === 1) return attachments[0];
  const picked = await vscode.window.showQuickPick(
    attachments.map((a) => ({ label: a.filename, description: `${a.contentType}, ${formatBytes(a.size)}`, attachment: a })),
    { title: 'Save Attachment', placeHolder: 'Attachment to save' });
  return picked?.attachment;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
