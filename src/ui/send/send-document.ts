/**
 * "Exchange Mail: Send Current Document…" and "Send Selection…": the document as it is in the
 * editor (saved or not, untitled too) becomes a message. Headers come from its front matter or
 * from prompts; every address is checked before anything connects; the user confirms; then
 * ./delivery sends it. The document is only read: never changed, saved or closed.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DraftMessage, FrontMatterHeaders, OriginalReference } from '../../mail/compose';
import { loadCore } from '../bundle-loader';
import { asExplained, showError } from '../show-error';
import { summarize } from './confirmation';
import { deliver, SendCommandContext, SendOutcome } from './delivery';
import { chooseSender, Sender, senderFromFrontMatter } from './sender-account';
import { SendPrompts, windowPrompts } from './send-prompts';

export type SendScope = 'document' | 'selection';

interface Source {
  document: vscode.TextDocument;
  selection?: { start: number; end: number };
}

function refused(code: string, message: string): SendOutcome {
  return { status: 'refused', code, message };
}

function documentName(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : document.uri.path.split('/').pop() ?? document.fileName;
}

/** The editor's document, or the one a menu passed by URI (only read, even if that opens it). */
async function findSource(scope: SendScope, argument: unknown): Promise<Source | SendOutcome> {
  const uri = argument instanceof vscode.Uri ? argument : undefined;
  const editor = vscode.window.activeTextEditor;
  const inEditor = editor && (!uri || editor.document.uri.toString() === uri.toString()) ? editor : undefined;
  const document = inEditor?.document ?? (uri ? await vscode.workspace.openTextDocument(uri) : undefined);
  if (!document) return refused('no-document', 'Open the document to send in an editor first.');
  if (scope === 'document') return { document };
  const selection = inEditor?.selection;
  if (!selection || selection.isEmpty) return refused('no-selection', 'Select the text to send first.');
  return { document, selection: { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) } };
}

/** Checks the front matter's addresses at once, so a typo there is reported before any prompt. */
function checkFrontMatter(headers: FrontMatterHeaders): void {
  const { parseAddressList } = loadCore();
  parseAddressList(headers.to, 'To');
  parseAddressList(headers.cc, 'Cc');
  parseAddressList(headers.bcc, 'Bcc');
}

/** What parseAddressList says about the text while the user types; undefined when it is fine. */
function addressProblem(field: 'To' | 'Cc', required: boolean): (text: string) => string | undefined {
  const { parseAddressList } = loadCore();
  return (text) => {
    try {
      if (parseAddressList(text, field).length === 0 && required) return `Enter at least one address for ${field}`;
      return undefined;
    } catch (err) {
      return asExplained(err)?.message ?? String(err);
    }
  };
}

/** Asks for what the front matter does not give; undefined when the user cancelled. */
async function completeHeaders(headers: FrontMatterHeaders, suggestedSubject: string, name: string, prompts: SendPrompts)
  : Promise<{ to: string | string[]; cc?: string | string[]; bcc?: string[]; subject: string } | undefined> {
  let to: string | string[] | undefined = headers.to;
  let cc: string | string[] | undefined = headers.cc;
  if (!to) {
    to = await prompts.addresses({ field: 'To', documentName: name, validate: addressProblem('To', true) });
    if (to === undefined) return undefined;
    if (!cc) {
      cc = await prompts.addresses({ field: 'Cc', documentName: name, validate: addressProblem('Cc', false) });
      if (cc === undefined) return undefined;
    }
  }
  const subject = headers.subject ?? await prompts.subject({ documentName: name, suggested: suggestedSubject });
  if (subject === undefined) return undefined;
  return { to, cc, bcc: headers.bcc, subject };
}

interface Composed {
  sender: Sender;
  draft: DraftMessage;
  /** The message a reply or forward came from, to mark once sent. */
  original?: OriginalReference;
}

/** Where relative `attachments:` paths start: the saved document's folder. */
function documentFolder(document: vscode.TextDocument): string | undefined {
  return document.uri.scheme === 'file' && !document.isUntitled ? dirname(document.uri.fsPath) : undefined;
}

async function compose(context: SendCommandContext, source: Source, prompts: SendPrompts): Promise<Composed | SendOutcome> {
  const core = loadCore();
  const { document } = source;
  const composed = core.composeFromDocument({
    text: document.getText(),
    languageId: document.languageId,
    fileName: document.fileName,
    selection: source.selection,
    asAttachment: vscode.workspace.getConfiguration('exchangeMail.send', document.uri).get<boolean>('asAttachment', false),
  });
  checkFrontMatter(composed.headers);
  const files = composed.headers.attachments ? await core.readAttachmentFiles(composed.headers.attachments, documentFolder(document)) : [];
  const body = files.length ? { ...composed.body, attachments: [...composed.body.attachments, ...files] } : composed.body;
  // Each account's own address, then the shared mailboxes it may send as.
  const accounts = context.settings.mailboxes();
  let sender: Sender | 'cancelled';
  if (composed.headers.from) sender = senderFromFrontMatter(core.validateSender(composed.headers.from), accounts);
  else sender = await chooseSender(accounts, context.memento, prompts);
  if (sender === 'cancelled') return { status: 'cancelled' };
  const headers = await completeHeaders(composed.headers, composed.suggestedSubject, documentName(document), prompts);
  if (!headers) return { status: 'cancelled' };
  const { inReplyTo, references } = composed.headers;
  return {
    sender,
    draft: core.createDraft({ from: sender.from, ...headers, inReplyTo, references }, body),
    original: core.parseOriginalReference(composed.headers.original),
  };
}

function offerAddAccount(context: SendCommandContext): SendOutcome {
  const add = 'Add Account…';
  const message = context.settings.entries().length > 0
    ? 'No Exchange Mail account has valid settings, so there is nothing to send from.'
    : 'There is no Exchange Mail account to send from yet.';
  void vscode.window.showInformationMessage(message, add).then((choice) => (choice === add ? vscode.commands.executeCommand('exchangeMail.addAccount') : undefined));
  return refused('no-account', message);
}

/**
 * The command. Resolves once the message is sent (and its copy kept) or the attempt ended;
 * messages about the outcome are shown without waiting for the user to close them.
 */
export async function sendDocumentCommand(context: SendCommandContext, scope: SendScope, uri?: unknown,
  prompts: SendPrompts = windowPrompts): Promise<SendOutcome> {
  const source = await findSource(scope, uri);
  if ('status' in source) {
    void vscode.window.showInformationMessage(source.status === 'refused' ? source.message : 'Nothing to send.');
    return source;
  }
  if (context.settings.accounts().length === 0) return offerAddAccount(context);
  let composed: Composed | SendOutcome;
  try {
    composed = await compose(context, source, prompts);
  } catch (err) {
    const explained = asExplained(err);
    void showError(err, context.log, 'Cannot send the document');
    return refused(explained?.code ?? 'invalid-input', explained?.message ?? String(err));
  }
  if ('status' in composed) return composed;
  const { sender, draft, original } = composed;
  const confirm = vscode.workspace.getConfiguration('exchangeMail.send').get<boolean>('confirm', true);
  if (confirm && !await prompts.confirm(summarize(draft, loadCore().formatAddress))) return { status: 'cancelled' };
  return deliver(context, sender, draft, original);
}
