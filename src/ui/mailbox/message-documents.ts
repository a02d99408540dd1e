import * as vscode from 'vscode';
import type { AccountSettings } from '../accounts/account-settings';
import { loadCore } from '../bundle-loader';
import { explained, MailboxModel } from './mailbox-model';

/** The scheme of read-only message tabs; `resourceScheme == exchange-mail` in `when` clauses. */
export const MESSAGE_SCHEME = 'exchange-mail';

/** Which message a tab shows. */
export interface MessageAddress {
  accountId: string;
  folder: string;
  uid: number;
}

/**
 * `exchange-mail:/<folder>/<subject>?account=…&folder=…&uid=…`: the tab is titled by the subject
 * and the breadcrumbs show the folder; the query says exactly which message it is.
 */
export function messageUri(address: MessageAddress, subject: string): vscode.Uri {
  const title = (subject.trim() || '(no subject)').replace(/[/\\]/g, '-').replace(/\s+/g, ' ').slice(0, 80);
  const query = new URLSearchParams({ account: address.accountId, folder: address.folder, uid: String(address.uid) }).toString();
  const folder = address.folder.split('/').map((part) => part.replace(/\\/g, '-')).join('/');
  return vscode.Uri.from({ scheme: MESSAGE_SCHEME, path: `/${folder}/${title}`, query });
}

export function parseMessageUri(uri: vscode.Uri): MessageAddress | undefined {
  if (uri.scheme !== MESSAGE_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const accountId = query.get('account');
  const folder = query.get('folder');
  const uid = Number(query.get('uid'));
  if (!accountId || folder === null || !Number.isInteger(uid) || uid <= 0) return undefined;
  return { accountId, folder, uid };
}

/**
 * The text of a message tab: headers, body, attachments (the core's `renderMessageDocument`),
 * read through the account's session, which fetched it once and keeps it. Such documents are
 * read-only. Reading uses BODY.PEEK, so opening a message leaves it unread on the server.
 */
export class MessageDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly settings: AccountSettings, private readonly mail: MailboxModel) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const address = parseMessageUri(uri);
    if (!address) return 'This is not the address of a message.\n';
    const account = this.settings.find(address.accountId);
    if (!account) return `There is no Exchange Mail account ${address.accountId} any more.\n`;
    try {
      const document = await this.mail.openMessage(account, address.folder, address.uid);
      return loadCore().renderMessageDocument(document);
    } catch (err) {
      const error = explained(err);
      // A tab restored after a reload may be read before sign-in; the reason is its content.
      return `Exchange Mail could not open this message.\n\n${error.message}\n${error.fix}\n`;
    }
  }
}
