import * as vscode from 'vscode';
import type { Account, AccountEntry } from '../../accounts/account';
import { sharedMailboxesOf } from '../../accounts/mailboxes';
import { isInbox } from '../../mail/imap/folder-model';
import type { AccountSettings } from '../accounts/account-settings';
import type { MailboxChange, MailboxModel } from '../mailbox/mailbox-model';
import type { SignIns } from '../accounts/sign-ins';
import { EmptyNode, FolderNode, LoadMoreNode, MailboxErrorNode, MailNode, MessageNode, SearchNode, SignInNode } from './mail-nodes';
import { AccountNode, AccountState, MailboxNode, ProblemNode } from './account-nodes';

export type TreeNode = MailboxNode | MailNode;

/** INBOX in any case is the Inbox: the watch and the new-mail notifications name it `INBOX`, Exchange lists `Inbox`. */
const folderKey = (accountId: string, path: string) => `${accountId}\n${isInbox(path) ? 'INBOX' : path}`;

/**
 * The Mailboxes view: accounts from the settings, each signed in or not, and what is wrong with
 * the invalid ones. No account: no node, so the view shows its welcome content. With the mail
 * model, a signed-in account shows its folders, a folder its messages a page at a time, and
 * whatever could not be read a node saying why; the model does the reading.
 */
export class MailboxesTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The folder nodes last handed out, so that one folder can be refreshed alone. */
  private readonly folderNodes = new Map<string, FolderNode>();
  /** Accounts whose sign-in was asked about in this window. */
  private readonly asked = new Set<string>();

  constructor(private readonly settings: AccountSettings, private readonly signIns: SignIns, secretsChanged: vscode.Event<unknown>,
    private readonly mail?: MailboxModel) {
    this.subscriptions = [
      settings.onDidChange(() => this.refresh()),
      signIns.onDidChange(() => this.refresh()),
      // Another window signed in or out: the token caches live in SecretStorage.
      secretsChanged(() => this.refresh()),
    ];
    if (mail) this.subscriptions.push(mail.onDidChange((change) => this.mailChanged(change)));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const entries = this.settings.entries();
      // Only maps: sessions are opened on use and closed by sign-out and settings (AccountSessions).
      // Each account is followed by the shared mailboxes its sign-in opens.
      const withShared = entries.flatMap((entry): AccountEntry[] => (entry.valid
        ? [entry, ...sharedMailboxesOf(entry.account).map((mailbox) => ({ ...entry, label: mailbox.address, account: mailbox }))]
        : [entry]));
      return Promise.all(withShared.map(async (entry) => {
        if (!entry.valid) return new AccountNode(entry, 'invalid', Boolean(this.mail));
        const cached = await this.mail?.cacheState(entry.account);
        const state = await this.stateOf(entry.account, cached !== undefined);
        return new AccountNode(entry, state, Boolean(this.mail), state === 'signedIn' ? cached : undefined);
      }));
    }
    if (node instanceof AccountNode) return this.accountChildren(node);
    if (node.kind === 'folder') return this.folderChildren(node);
    if (node.kind === 'search') return this.searchChildren(node);
    return [];
  }

  /**
   * Signed in or out. A mailbox the cache shows was signed in when it was saved (Sign Out removes
   * it): the first time, its rows go out at once and the sign-in is asked after them, since asking
   * loads the sign-in code, which takes longer than showing them.
   */
  private async stateOf(account: Account, cached: boolean): Promise<AccountState> {
    const first = !this.asked.has(account.id);
    this.asked.add(account.id);
    if (!cached || !first) return await this.signIns.isSignedIn(account) ? 'signedIn' : 'signedOut';
    setTimeout(() => void this.signIns.isSignedIn(account).then((signedIn) => {
      if (!signedIn) this.refresh();
    }), 0);
    return 'signedIn';
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node instanceof AccountNode ? undefined : node.parent;
  }

  private async accountChildren(node: AccountNode): Promise<TreeNode[]> {
    if (!node.entry.valid) {
      const { problems, label } = node.entry;
      return problems.map((p) => new ProblemNode(node, p, label));
    }
    const account = node.entry.account;
    if (!this.mail) return [];
    if (node.state !== 'signedIn') return [new SignInNode(node, account)];
    const listing = await this.mail.shownFolders(account);
    // Shown from the cache, a failure to update stands above the cached folders.
    const failure = listing.error ? [new MailboxErrorNode(node, account, listing.error, 'folders')] : [];
    if (!listing.folders) return failure;
    if (listing.folders.roots.length === 0) return [...failure, new EmptyNode(node, 'The server lists no folders')];
    const search = this.mail.currentSearch(account.id);
    return [...failure, ...search ? [new SearchNode(node, account, search)] : [], ...listing.folders.roots.map((folder) => this.folderNode(node, folder))];
  }

  private searchChildren(node: SearchNode): TreeNode[] {
    const { messages, moreAvailable, total } = node.search;
    const children: TreeNode[] = messages.map((message) => new MessageNode(node, message, message.folder));
    if (moreAvailable) children.push(new LoadMoreNode(node, messages.length, total));
    return children.length ? children : [new EmptyNode(node, 'No messages found')];
  }

  private async folderChildren(node: FolderNode): Promise<TreeNode[]> {
    const subfolders: TreeNode[] = node.folder.children.map((folder) => this.folderNode(node, folder));
    if (!this.mail || !node.folder.openable) return subfolders.length ? subfolders : [new EmptyNode(node, 'Holds no folders')];
    const page = await this.mail.shownMessages(node.account, node.path);
    if (page.error) return [...subfolders, new MailboxErrorNode(node, node.account, page.error, 'messages')];
    const children = [...subfolders, ...page.messages.map((message) => new MessageNode(node, message))];
    if (page.moreError) children.push(new MailboxErrorNode(node, node.account, page.moreError, 'more'));
    else if (page.moreAvailable) children.push(new LoadMoreNode(node, page.messages.length, page.total));
    return children.length ? children : [new EmptyNode(node, 'No messages')];
  }

  private folderNode(parent: AccountNode | FolderNode, folder: FolderNode['folder']): FolderNode {
    const account = parent instanceof AccountNode ? parent.account! : parent.account;
    const mail = this.mail!;
    const node = new FolderNode(parent, account, folder, () => mail.countsOf(account.id, folder));
    this.folderNodes.set(folderKey(account.id, folder.path), node);
    return node;
  }

  /** One folder changed: refresh it alone when VS Code has its node, else everything. */
  private mailChanged(change: MailboxChange): void {
    const node = change?.folder !== undefined ? this.folderNodes.get(folderKey(change.accountId, change.folder)) : undefined;
    if (!node) this.folderNodes.clear();
    this.changed.fire(node);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
