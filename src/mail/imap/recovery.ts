/**
 * The session's answer to failures under a command, in one place: a throttled command waits
 * the back-off the server suggests and goes again; a lost connection (dropped, server
 * restarted, `BYE … AccessTokenExpired`) is replaced by a new one, with a new token when the
 * token was the reason, and the command goes again once. Whatever is left becomes an
 * ExplainedError the UI can show with Retry or Sign In.
 */
import { ExplainedError } from '../../errors';
import { MailLog } from '../server';
import { ConnectionSlot, SlotConnection } from './connection-slot';
import { classifyFailure } from './failures';

export interface RecoveryPolicy {
  /** New connections per command after a lost one. */
  reconnects: number;
  /** Waits per command on a throttled reply. */
  throttleWaits: number;
  /** The longest back-off honoured; Exchange may suggest minutes. */
  maxBackoffMs: number;
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_RECOVERY: RecoveryPolicy = {
  reconnects: 1,
  throttleWaits: 3,
  maxBackoffMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function withRecovery<C extends SlotConnection, T>(
  slot: ConnectionSlot<C>,
  step: string,
  command: (connection: C) => Promise<T>,
  explain: (step: string, error: unknown) => ExplainedError,
  log: MailLog,
  policy: RecoveryPolicy = DEFAULT_RECOVERY,
): Promise<T> {
  let reconnects = 0;
  let throttleWaits = 0;
  for (;;) {
    let connection: C;
    try {
      connection = await slot.get();
    } catch (error) {
      // Connecting anew failed: the server is down or refuses us; the user decides when to retry.
      throw explain(step, error);
    }
    try {
      return await command(connection);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'throttled' && throttleWaits < policy.throttleWaits) {
        throttleWaits++;
        const wait = Math.min(failure.backoffMs, policy.maxBackoffMs);
        log.warn(`IMAP: the server throttled ${step}; waiting ${wait} ms as it suggests.`);
        await policy.sleep(wait);
        continue;
      }
      if (failure.kind === 'connection-lost' && reconnects < policy.reconnects) {
        reconnects++;
        log.info(`IMAP: the connection was lost while ${step} (${failure.reason}); reconnecting${failure.tokenExpired ? ' with a new token' : ''}.`);
        slot.discard({ renew: failure.tokenExpired });
        continue;
      }
      if (failure.kind === 'connection-lost') slot.discard({ renew: failure.tokenExpired });
      throw explain(step, error);
    }
  }
}
