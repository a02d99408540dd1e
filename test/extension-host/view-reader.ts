/**
 * Reading the Mailboxes view the way VS Code reads it: through the running extension's data
 * provider (`extension.exports.mailboxes`), a node's TreeItem, its label, its children, and a
 * child found by its label (failing with the labels there are).
 */
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { ExchangeMailApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/mailboxes-tree';

export interface ViewReader {
  item(node: TreeNode): vscode.TreeItem;
  labelOf(node: TreeNode): string | undefined;
  children(node?: TreeNode): Promise<TreeNode[]>;
  child(parent: TreeNode | undefined, label: string): Promise<TreeNode>;
}

/** `view` is asked at each call: suites activate the extension in their `before`. Any data provider of the view will do (a window's own tree). */
export function readView(view: () => Pick<ExchangeMailApi['mailboxes'], 'getTreeItem' | 'getChildren'>): ViewReader {
  const item = (node: TreeNode) => view().getTreeItem(node) as vscode.TreeItem;
  const labelOf = (node: TreeNode) => {
    const label = item(node).label;
    return typeof label === 'string' ? label : label?.label;
  };
  const children = async (node?: TreeNode) => (await view().getChildren(node)) ?? [];
  return {
    item, labelOf, children,
    async child(parent, label) {
      const nodes = await children(parent);
      const found = nodes.find((n) => labelOf(n) === label);
      assert.ok(found, `no "${label}" among ${nodes.map(labelOf).join(', ')}`);
      return found;
    },
  };
}
