import * as vscode from 'vscode';
import type { ErrorAction, ExplainedError } from '../errors';

/**
 * An ExplainedError from either bundle: dist/core.js has its own copy of the class, so
 * `instanceof` cannot tell; the shape can.
 */
export function asExplained(err: unknown): ExplainedError | undefined {
  // By shape, also for subclasses (CleartextTokenRefused…), whose name is their own.
  if (err instanceof Error && typeof (err as ExplainedError).fix === 'string' && Array.isArray((err as ExplainedError).actions)) return err as ExplainedError;
  return undefined;
}

const ACTION_LABELS: Record<ErrorAction, string> = {
  retry: 'Retry',
  signIn: 'Sign In',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
};

/** Shows what went wrong and how to fix it; resolves with the action the user chose. */
export async function showError(err: unknown, log: vscode.LogOutputChannel, context: string): Promise<ErrorAction | undefined> {
  const explained = asExplained(err);
  const message = explained ? `${context}: ${explained.message} ${explained.fix}` : `${context}: ${err instanceof Error ? err.message : String(err)}`;
  log.error(explained?.detail ? `${message} (${explained.detail})` : message);
  const actions = explained?.actions.length ? explained.actions : ['showLog' as const];
  const choice = await vscode.window.showErrorMessage(message, ...actions.map((a) => ACTION_LABELS[a]));
  const action = actions.find((a) => ACTION_LABELS[a] === choice);
  if (action === 'showLog') log.show(true);
  if (action === 'openSettings') await vscode.commands.executeCommand('exchangeMail.openAccountSettings');
  return action;
}

/** A cancellation the user asked for: nothing to report. */
export function isCancellation(err: unknown): boolean {
  const explained = asExplained(err);
  return explained?.code === 'sign-in-cancelled' || (err instanceof Error && (err.name === 'AbortError' || err.name === 'Canceled'));
}
