/**
 * The SMTP conversation as nodemailer reports it (its transaction log: every command and every
 * reply, in order), paired up command to reply. Gives what nodemailer's errors leave out: the
 * server's last answer to AUTH (nodemailer swallows it when it renews the token), a refused
 * sender, and every recipient the server refused, as soon as it refuses it, so the send can
 * stop before DATA.
 */
export interface RefusedRecipient {
  address: string;
  /** The server's reply to RCPT TO, e.g. `550 5.7.54 ... Unable to relay recipient ...`. */
  reply: string;
}

const RCPT = /^RCPT TO:\s*<([^>]*)>/i;

export class SmtpDialogue {
  /** Commands still waiting for their reply; the greeting is the reply to connecting. */
  private readonly pending: string[] = ['(connect)'];
  readonly refusedRecipients: RefusedRecipient[] = [];
  /** The reply that refused MAIL FROM (a Send As refusal, a size limit): the recipients' refusals that follow are only its echo. */
  refusedSender?: string;
  /** The reply to the last AUTH command or SASL continuation. */
  lastAuthReply?: string;
  lastReply?: string;

  constructor(private readonly onRecipientRefused: (refused: RefusedRecipient) => void = () => {}) {}

  client(command: string): void {
    this.pending.push(command);
  }

  server(reply: string): void {
    const command = this.pending.shift() ?? '';
    this.lastReply = reply;
    // A SASL continuation is sent as an empty line (nodemailer logs the XOAUTH2 response hidden).
    if (/^AUTH\b/i.test(command) || command === '') this.lastAuthReply = reply;
    if (/^MAIL FROM:/i.test(command) && !reply.startsWith('2')) this.refusedSender = reply;
    const rcpt = RCPT.exec(command);
    if (rcpt && !reply.startsWith('2') && !this.refusedSender) {
      const refused = { address: rcpt[1], reply };
      this.refusedRecipients.push(refused);
      this.onRecipientRefused(refused);
    }
  }
}
