/**
 * The mail faults over the sandbox's control API, for the demo and for tests that run outside
 * the sandbox's process (served by the identity platform under `/_sandbox/`):
 *   GET  /_sandbox/mail-faults          the faults armed now
 *   POST /_sandbox/mail-faults          arm one: { "user": "alice@contoso.test", "fault": { "kind": "imap-throttled", "backoffMs": 2000 }, "times": 3 }
 *   POST /_sandbox/mail-faults/clear    forget every fault, or one user's: { "user": … }
 */
import type { MoreControlRoutes } from '../identity/context';
import { FaultRequest, MailFaults } from './faults';

export function mailFaultRoutes(faults: MailFaults): MoreControlRoutes {
  return (method, route, body) => {
    try {
      switch (`${method} ${route}`) {
        case 'GET mail-faults': return { status: 200, body: faults.list() };
        case 'POST mail-faults': faults.add(body as unknown as FaultRequest); return { status: 200, body: { ok: true } };
        case 'POST mail-faults/clear': faults.clear(typeof body.user === 'string' ? body.user : undefined); return { status: 200, body: { ok: true } };
        default: return undefined;
      }
    } catch (error) {
      if (error instanceof TypeError) return { status: 400, body: { error: 'invalid_request', error_description: error.message } };
      throw error;
    }
  };
}
