import * as vscode from 'vscode';
import type { MailboxesTree, TreeNode } from './mailboxes-tree';

/**
 * The Mailboxes view's data provider as activation registers it: the tree, with the account
 * settings, sign-ins and mail model behind it, is made on the view's first call, so activation
 * loads none of it and the first render pays instead.
 */
export class MailboxesView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private made: { tree: MailboxesTree; forwarding: vscode.Disposable } | undefined;

  constructor(private readonly makeTree: () => MailboxesTree) {}

  private get tree(): MailboxesTree {
    if (!this.made) {
      const tree = this.makeTree();
      this.made = { tree, forwarding: tree.onDidChangeTreeData((node) => this.changed.fire(node)) };
    }
    return this.made.tree;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return this.tree.getTreeItem(node);
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.tree.getChildren(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.tree.getParent(node);
  }

  dispose(): void {
    this.made?.forwarding.dispose();
    this.changed.dispose();
  }
}
