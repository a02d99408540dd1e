/**
 * Failures a test asks for ahead of time: "the next token request (for this grant type or
 * client) fails with AADSTS n". Each is used once, or `times` times, in arrival order.
 */
import { EntraError, OAuthErrorName } from './errors';

export type FaultEndpoint = 'token' | 'devicecode';

export interface Fault {
  /** The AADSTS number; its usual `error` and HTTP status follow unless overridden. */
  code: number;
  endpoint?: FaultEndpoint;
  grantType?: string;
  clientId?: string;
  status?: number;
  error?: OAuthErrorName | string;
  suberror?: string;
  description?: string;
  /** How many matching requests fail; 1 unless set. */
  times?: number;
}

export class FaultQueue {
  private faults: Array<Fault & { remaining: number }> = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, remaining: Math.max(1, fault.times ?? 1) });
  }

  /** The failure for this request, if one is waiting for it. */
  take(endpoint: FaultEndpoint, grantType: string | undefined, clientId: string | undefined): EntraError | undefined {
    const fault = this.faults.find((f) => (f.endpoint ?? 'token') === endpoint
      && (!f.grantType || f.grantType === grantType)
      && (!f.clientId || f.clientId === clientId));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return new EntraError(fault.code, fault.description, { error: fault.error, status: fault.status, suberror: fault.suberror });
  }

  clear(): void {
    this.faults = [];
  }
}
