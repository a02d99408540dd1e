import * as vscode from 'vscode';

const SCHEME = 'exchange-mail-message-state';
const UNREAD_COLOR = 'notificationsInfoIcon.foreground';

/**
 * The unread mark of message items: a tree label cannot be bold, so an unread message's item
 * carries this resource and VS Code's decorations colour its label and add a dot, as they mark
 * modified files. The state is in the address itself, so nothing is kept here.
 */
export function messageStateUri(unread: boolean): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: '/message', query: unread ? 'unread' : 'read' });
}

export const unreadColor = () => new vscode.ThemeColor(UNREAD_COLOR);

export class UnreadDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SCHEME || uri.query !== 'unread') return undefined;
    return { badge: '●', color: unreadColor(), tooltip: 'Unread' };
  }
}
