import * as vscode from 'vscode';
import type { AccountSettings } from './account-settings';

/**
 * Says what is wrong with hand-edited account settings: each new problem in the log, and a
 * warning naming the first, once per change (the tree keeps showing them under the account).
 */
export function reportSettingsProblems(settings: AccountSettings, log: vscode.LogOutputChannel): vscode.Disposable {
  let reported = new Set<string>();
  const report = () => {
    const problems = settings.problems();
    const fresh = problems.filter((p) => !reported.has(p));
    reported = new Set(problems);
    if (fresh.length === 0) return;
    fresh.forEach((p) => log.warn(p));
    const open = 'Open Settings';
    const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more problem${fresh.length > 2 ? 's' : ''})` : '';
    void vscode.window.showWarningMessage(`${fresh[0]}${more}`, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('exchangeMail.openAccountSettings');
    });
  };
  report();
  return settings.onDidChange(report);
}
