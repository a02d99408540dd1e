/**
 * The person in front of VS Code's prompts, for the extension-host suites: while `run` runs, one
 * `vscode.window` prompt (an error or warning message, a quick pick, a save dialog…) is answered
 * by `answer` at once, and every call's arguments are kept (`run` sees them as they come), so a
 * test can say what was asked.
 */
import * as vscode from 'vscode';

type Prompt = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showQuickPick' | 'showSaveDialog';

export interface Answered<T> {
  result: T;
  /** The arguments of each call of the prompt, in order. */
  asked: unknown[][];
}

export async function answering<T>(prompt: Prompt, answer: (...args: unknown[]) => unknown, run: (asked: readonly unknown[][]) => Thenable<T>): Promise<Answered<T>> {
  const original = vscode.window[prompt];
  const asked: unknown[][] = [];
  (vscode.window as Record<Prompt, unknown>)[prompt] = async (...args: unknown[]) => {
    asked.push(args);
    return answer(...args);
  };
  try {
    return { result: await run(asked), asked };
  } finally {
    (vscode.window as Record<Prompt, unknown>)[prompt] = original;
  }
}

/** The first argument of each call: the text of the messages shown. */
export function texts(asked: unknown[][]): string[] {
  return asked.map((args) => String(args[0]));
}
