/**
 * Sending a confirmed draft: a token from the account's token source (interactive, since the
 * user asked to send), SMTP under a cancellable progress notification, then the outcome: the
 * Message-ID on success, what went wrong and how to fix it on failure, with Retry.
 */
import * as vscode from 'vscode';
import type { Account } from '../../accounts/account';
import { toMailServer } from '../../accounts/mail-server';
import { signInOf, xoauth2UserFor } from '../../accounts/mailboxes';
import type { AccessToken } from '../../auth/token-source';
import { ErrorAction, ExplainedError } from '../../errors';
import type { DraftMessage, OriginalReference } from '../../mail/compose';
import type { MailServer } from '../../mail/server';
import type { SendResult } from '../../mail/smtp';
import type { AccountCommandContext } from '../accounts/account-commands';
import { ensureCredentials } from '../accounts/credentials';
import { loadCore } from '../bundle-loader';
import { asExplained, isCancellation, showError } from '../show-error';
import { formatSize } from './confirmation';
import { rememberSender, Sender } from './sender-account';
import { imapSentFolder, keepSentCopy, SentCopyOutcome, SentFolder } from './sent-copy';
import { credentialsFrom } from '../../auth/credentials';

export interface SendCommandContext extends AccountCommandContext {
  /** Where the last sender is remembered (the extension's globalState). */
  memento: vscode.Memento;
  /** Where sent copies go; an IMAP session per copy unless given. */
  sentFolder?: SentFolder;
  /** Marks the message a reply or forward came from; without it, nothing is marked. */
  originals?: OriginalMarks;
}

/** Marks an original answered or forwarded on its server (../mailbox/original-marks). */
export interface OriginalMarks {
  /** `not-kept` when the server keeps no such mark; throws when the message cannot be marked. */
  mark(original: OriginalReference): Promise<'marked' | 'not-kept'>;
}

export type OriginalMarkOutcome = { status: 'marked' | 'not-kept' } | { status: 'failed'; message: string };

/** How a send ended, for the caller of the command (tests, other commands). */
export type SendOutcome =
  | { status: 'sent'; messageId: string; from: string; accepted: string[]; rejected: string[]; sentCopy: SentCopyOutcome; original?: OriginalMarkOutcome }
  /** Refused before any connection: no document, no account, a bad address… */
  | { status: 'refused'; code?: string; message: string }
  /** `fix`: what to do about it, as the notification says. */
  | { status: 'failed'; code?: string; message: string; fix?: string }
  | { status: 'cancelled' };

/** The token-refused reply explained from the token's claims where they tell more (missing SMTP.Send, wrong audience…). */
function explainTokenRefusal(err: unknown, account: Account, server: MailServer, token: AccessToken | undefined): unknown {
  const explained = asExplained(err);
  if (explained?.code !== 'smtp-token-refused' || !token) return err;
  const core = loadCore();
  const reply = /reply: ([^;]+)/.exec(explained.detail ?? '')?.[1]?.trim();
  const fromClaims = core.explainFailure({ protocol: 'smtp', step: 'authenticate', reply, error: err }, {
    server, user: token.user, address: account.address, mode: account.authMode, clientId: account.clientId, tenant: account.tenant,
    token: core.decodeClaims(token.accessToken), resources: [account.delegatedResource, account.appOnlyResources.smtp],
  });
  if (fromClaims.code === 'auth-refused') return err;
  return new ExplainedError(`${fromClaims.message} Nothing was sent.`, fromClaims.fix,
    { code: fromClaims.code, detail: explained.detail, actions: fromClaims.actions, cause: err });
}

/** Every failed send offers Retry, beside what the error itself offers. */
function withRetry(err: unknown): ExplainedError {
  const explained = asExplained(err);
  if (!explained) return new ExplainedError(err instanceof Error ? err.message : String(err), 'Try again; the log has the details.',
    { code: 'send-failed', actions: ['retry', 'showLog'], cause: err });
  if (explained.actions.includes('retry')) return explained;
  const actions: ErrorAction[] = ['retry', ...explained.actions];
  return new ExplainedError(explained.message, explained.fix, { code: explained.code, detail: explained.detail, actions, cause: err });
}

async function sendWithProgress(context: SendCommandContext, account: Account, server: MailServer, draft: DraftMessage,
  onToken: (token: AccessToken) => void): Promise<SendResult> {
  const core = loadCore();
  const source = context.signIns.source(account);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sending "${draft.subject}"`, cancellable: true },
    (progress, cancellation) => {
      const controller = new AbortController();
      cancellation.onCancellationRequested(() => controller.abort());
      progress.report({ message: `signing in as ${signInOf(account).address}…` });
      // Sending as a shared mailbox: the signed-in user authenticates (the app as the mailbox), From is the mailbox.
      const credentials = credentialsFrom(source, 'smtp', {
        interactive: true, signal: controller.signal, user: xoauth2UserFor(account, 'smtp'),
        onToken: (token) => {
          onToken(token);
          progress.report({ message: `${formatSize(draft.sizeBytes)} through ${server.host}…` });
        },
      });
      return core.sendMessage(server, credentials, draft, { log: context.log, signal: controller.signal });
    });
}

function reportSentCopy(copy: SentCopyOutcome, subject: string, context: SendCommandContext): void {
  if (copy.status === 'kept') context.log.info(`Send: a copy of "${subject}" is in ${copy.folder}`);
  else if (copy.status === 'skipped') context.log.info(`Send: no copy of "${subject}" kept in Sent (${copy.reason})`);
  else {
    context.log.warn(`Send: "${subject}" was sent, but no copy was kept in Sent: ${copy.message}`);
    void vscode.window.showWarningMessage(`"${subject}" was sent, but no copy was kept in the Sent folder: ${copy.message}`);
  }
}

/**
 * Marks the original of a reply or forward once it is sent. A failure (the original was deleted,
 * its account removed) is told, and the send stays a success.
 */
async function markOriginal(context: SendCommandContext, original: OriginalReference | undefined, subject: string): Promise<OriginalMarkOutcome | undefined> {
  if (!original || !context.originals) return undefined;
  const what = original.mark === 'answered' ? 'answered' : 'forwarded';
  try {
    const status = await context.originals.mark(original);
    context.log.info(status === 'marked' ? `Send: the original of "${subject}" is marked ${what}`
      : `Send: the server keeps no ${what} mark, so the original of "${subject}" is not marked`);
    return { status };
  } catch (err) {
    const explained = asExplained(err);
    const message = explained ? `${explained.message} ${explained.fix}` : err instanceof Error ? err.message : String(err);
    context.log.warn(`Send: "${subject}" was sent, but its original could not be marked ${what}: ${message}`);
    void vscode.window.showWarningMessage(`"${subject}" was sent, but the original message could not be marked ${what}: ${message}`);
    return { status: 'failed', message };
  }
}

/** Shows the failure with Retry without waiting for the user's choice; Retry sends the same draft again. */
function showFailure(context: SendCommandContext, sender: Sender, draft: DraftMessage, err: unknown, original?: OriginalReference): SendOutcome {
  const failure = withRetry(err);
  void showError(failure, context.log, `Sending "${draft.subject}" failed`).then(async (action) => {
    if (action === 'retry') await deliver(context, sender, draft, original);
    if (action === 'signIn' && await vscode.commands.executeCommand<boolean>('exchangeMail.signIn', sender.account.id)) await deliver(context, sender, draft, original);
  });
  return { status: 'failed', code: failure.code, message: failure.message, fix: failure.fix };
}

/**
 * Sends the draft from the account and tells the user how it went. A failure is shown with
 * Retry (and Sign In / Open Settings where they help) without waiting for the user's choice;
 * choosing Retry sends the same draft again. Once sent, the `original` a reply or forward came
 * from is marked answered or forwarded.
 */
export async function deliver(context: SendCommandContext, sender: Sender, draft: DraftMessage, original?: OriginalReference): Promise<SendOutcome> {
  const { account } = sender;
  const { log } = context;
  let server: MailServer;
  try {
    server = toMailServer(account, 'smtp');
    if (!await ensureCredentials(account, context.secrets)) return { status: 'cancelled' };
  } catch (err) {
    return showFailure(context, sender, draft, err, original);
  }
  let token: AccessToken | undefined;
  let result: SendResult;
  try {
    result = await sendWithProgress(context, account, server, draft, (t) => (token = t));
  } catch (err) {
    const explained = asExplained(err);
    if (isCancellation(err) || explained?.code === 'send-cancelled') {
      log.info(`Send: "${draft.subject}" cancelled; nothing was sent`);
      void vscode.window.showInformationMessage(`Sending "${draft.subject}" was cancelled. Nothing was sent.`);
      return { status: 'cancelled' };
    }
    return showFailure(context, sender, draft, explainTokenRefusal(err, account, server, token), original);
  }

  await rememberSender(context.memento, account);
  const recipients = [...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address);
  const notAccepted = result.rejected.length ? ` The server did not accept ${result.rejected.join(', ')}.` : '';
  log.info(`Send: "${draft.subject}" sent from ${account.address} to ${recipients.join(', ')}: Message-ID ${result.messageId} (${result.response})`);
  const copyId = 'Copy Message-ID';
  void vscode.window.showInformationMessage(`Sent "${draft.subject}" to ${recipients.join(', ')}. Message-ID: ${result.messageId}.${notAccepted}`, copyId)
    .then((choice) => (choice === copyId ? vscode.env.clipboard.writeText(result.messageId) : undefined));

  const folder = context.sentFolder ?? imapSentFolder(context.signIns, log);
  const sentCopy = await keepSentCopy(account, server.host, result.response, result.raw, {
    append: async (a, raw) => vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Keeping a copy in Sent Items' }, () => folder.append(a, raw)),
  });
  reportSentCopy(sentCopy, draft.subject, context);
  const originalMark = await markOriginal(context, original, draft.subject);
  return { status: 'sent', messageId: result.messageId, from: account.address, accepted: result.accepted, rejected: result.rejected, sentCopy,
    ...(originalMark ? { original: originalMark } : {}) };
}
