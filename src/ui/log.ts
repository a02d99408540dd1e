import * as vscode from 'vscode';

/**
 * The "Exchange Mail" log. A LogOutputChannel so the user picks the level (Trace shows the
 * protocol conversations) with VS Code's own "Set Log Level…".
 */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Exchange Mail', { log: true });
}
