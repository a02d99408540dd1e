import * as vscode from 'vscode';
import { createLog } from './ui/log';

/** Wiring only: the heavy parts (MSAL, IMAP, SMTP) load on first use, never here. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('exchangeMail.showLog', () => log.show(true)),
  );
  log.info(`Exchange Mail ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Every disposable is registered on the context; nothing else to release.
}
