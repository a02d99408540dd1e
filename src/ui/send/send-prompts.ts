/**
 * What sending asks of the user: the recipients, the subject, the sender account and the
 * confirmation. The extension answers with VS Code's input box, quick pick and modal dialog
 * (`windowPrompts`); tests answer from a script.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';

export interface AddressRequest {
  field: 'To' | 'Cc';
  /** The document's name, for the title. */
  documentName: string;
  /** What is wrong with the text, shown under the input while the user types; undefined when fine. */
  validate(text: string): string | undefined;
}

export interface SubjectRequest {
  documentName: string;
  suggested: string;
}

/** What the confirmation shows: a one-line question and the message's headers and size. */
export interface SendSummary {
  question: string;
  detail: string;
}

export interface SendPrompts {
  /** The addresses as typed; undefined when the user cancelled. */
  addresses(request: AddressRequest): Promise<string | undefined>;
  subject(request: SubjectRequest): Promise<string | undefined>;
  /** One of `accounts` (the last used first); undefined when the user cancelled. */
  account(accounts: Account[], lastUsedId: string | undefined): Promise<Account | undefined>;
  /** True when the user chose Send. */
  confirm(summary: SendSummary): Promise<boolean>;
}

const SEND = 'Send';

export const windowPrompts: SendPrompts = {
  addresses: ({ field, documentName, validate }) => Promise.resolve(vscode.window.showInputBox({
    title: `Send ${documentName}: ${field}`,
    prompt: field === 'To'
      ? 'To: one or more email addresses, separated by commas'
      : 'Cc (optional): email addresses separated by commas, or leave empty',
    placeHolder: 'bob@contoso.com, Carol Lindqvist <carol@contoso.com>',
    ignoreFocusOut: true,
    validateInput: validate,
  })),

  subject: ({ documentName, suggested }) => Promise.resolve(vscode.window.showInputBox({
    title: `Send ${documentName}: Subject`,
    prompt: 'Subject of the message',
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'Enter a subject'),
  })),

  account: async (accounts, lastUsedId) => {
    const picked = await vscode.window.showQuickPick(
      accounts.map((a) => ({ label: a.address, description: a.id === lastUsedId ? 'last used' : a.authMode, account: a })),
      { title: 'Exchange Mail: Send from', placeHolder: 'Account to send from', ignoreFocusOut: true },
    );
    return picked?.account;
  },

  confirm: async ({ question, detail }) => await vscode.window.showInformationMessage(question, { modal: true, detail }, SEND) === SEND,
};
