import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { PROTOCOL_NAMES, type Protocol } from '../../mail/server';

/** How a diagnostics command names its protocol: given by another command or a test, or asked. */
export type ProtocolArgument = Protocol | 'all' | undefined;

/**
 * The protocols to work on: the one given, or the user's pick among the account's protocols
 * (with "All" when `allowAll`). Undefined when the user cancelled or the account lacks it.
 */
export async function pickProtocols(account: Account, argument: ProtocolArgument, allowAll: boolean, placeholder: string): Promise<Protocol[] | undefined> {
  if (argument === 'all' && allowAll) return [...account.protocols];
  if (argument && argument !== 'all') {
    if (account.protocols.includes(argument)) return [argument];
    void vscode.window.showErrorMessage(`${account.address} does not use ${PROTOCOL_NAMES[argument]}.`);
    return undefined;
  }
  if (account.protocols.length === 1) return [...account.protocols];
  const items: (vscode.QuickPickItem & { protocols: Protocol[] })[] = account.protocols.map((p) => ({ label: PROTOCOL_NAMES[p], protocols: [p] }));
  if (allowAll) items.unshift({ label: 'All', description: account.protocols.map((p) => PROTOCOL_NAMES[p]).join(', '), protocols: [...account.protocols] });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: placeholder, title: `Exchange Mail: ${account.address}` });
  return picked?.protocols;
}
