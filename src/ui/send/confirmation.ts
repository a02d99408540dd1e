/** What the confirmation says about a message before it is sent: who, what, how big. */
import type { DraftMessage, MailAddress } from '../../mail/compose';
import type { SendSummary } from './send-prompts';

/** `812 bytes`, `14.2 KB`, `5.0 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function body(draft: DraftMessage): string {
  const text = draft.markdown ? 'HTML from the Markdown, with the Markdown as plain text' : 'plain text';
  return draft.attachments.length ? `${text}; attached: ${draft.attachments.map((a) => a.filename).join(', ')}` : text;
}

export function summarize(draft: DraftMessage, format: (address: MailAddress) => string): SendSummary {
  const list = (addresses: MailAddress[]) => addresses.map(format).join(', ');
  const lines = [
    `From: ${format(draft.from)}`,
    `To: ${list(draft.to)}`,
    ...(draft.cc.length ? [`Cc: ${list(draft.cc)}`] : []),
    ...(draft.bcc.length ? [`Bcc: ${list(draft.bcc)}`] : []),
    `Subject: ${draft.subject}`,
    `Size: about ${formatSize(draft.sizeBytes)}, ${body(draft)}`,
  ];
  return { question: `Send "${draft.subject}"?`, detail: lines.join('\n') };
}
