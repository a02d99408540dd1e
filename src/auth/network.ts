/**
 * MSAL's HTTP client (`system.networkClient`) on node:https, so that an account's extra CA file
 * is trusted beside the system's for its identity platform only: MSAL's default client uses the
 * global fetch, which takes a private CA only from NODE_EXTRA_CA_CERTS at process start.
 * It also remembers the last failure MSAL would otherwise flatten into "network_error" or
 * "post_request_failed", so that explain.ts can say what really happened.
 */
import { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { kindOfCode } from '../socket-failure';

/** Why the identity platform could not be reached. */
export interface NetworkFailure {
  /** `host:port` that failed. */
  host: string;
  /** Node's error code: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, SELF_SIGNED_CERT_IN_CHAIN, … */
  code: string;
  message: string;
  /** The TLS certificate was not trusted (or did not match the host). */
  certificate: boolean;
}

/** An OAuth error reply of the token or device-code endpoint, as Entra sends it (no secrets in it). */
export interface ErrorReply {
  error: string;
  error_description?: string;
  error_codes?: number[];
  suberror?: string;
}

export interface IdentityNetworkOptions {
  /** PEM of extra CAs (the account's CA file). */
  extraCaPem?: string;
  /** Per request, when MSAL gives none: the longest silence; the whole answer gets twice as long. */
  timeoutMs?: number;
  /** The largest answer read; the identity platform's are a few kilobytes. */
  maxBodyBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 1024 * 1024;

/** The certificate was not trusted or not issued for the host: the one table's reading (src/socket-failure.ts). */
function isCertificateCode(code: string): boolean {
  const kind = kindOfCode(code);
  return kind === 'tls-untrusted' || kind === 'tls-hostname';
}

function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

function asErrorReply(body: unknown): ErrorReply | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = body as Record<string, unknown>;
  if (typeof value.error !== 'string') return undefined;
  return {
    error: value.error,
    error_description: typeof value.error_description === 'string' ? value.error_description : undefined,
    error_codes: Array.isArray(value.error_codes) ? value.error_codes.filter((c): c is number => typeof c === 'number') : undefined,
    suberror: typeof value.suberror === 'string' ? value.suberror : undefined,
  };
}

export class IdentityNetwork implements INetworkModule {
  /** The last request that never got an answer; cleared by the next answer. */
  lastFailure: NetworkFailure | undefined;
  /** The last OAuth error reply, other than "authorization pending" while a device code is polled. */
  lastErrorReply: ErrorReply | undefined;
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(options: IdentityNetworkOptions = {}) {
    this.ca = options.extraCaPem ? [...rootCertificates, options.extraCaPem] : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeout?: number): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const timeoutMs = timeout && timeout > 0 ? timeout : this.timeoutMs;
    const body = method === 'POST' ? options.body ?? '' : undefined;
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = httpsRequest(target, { method, headers, ca: this.ca, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBodyBytes) {
            req.destroy(Object.assign(new Error(`an answer larger than ${this.maxBodyBytes} bytes`), { code: 'ERESPONSETOOLARGE' }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => reject(this.failed(target, err)));
        res.on('end', () => {
          clearTimeout(deadline);
          const parsed = parseBody(Buffer.concat(chunks).toString('utf8'));
          this.lastFailure = undefined;
          const reply = asErrorReply(parsed);
          if (reply && reply.error !== 'authorization_pending') this.lastErrorReply = reply;
          resolve({ status: res.statusCode ?? 0, headers: headerRecord(res.headers), body: parsed as T });
        });
      });
      // Silence is bounded by the socket timeout; an answer that trickles in, by this deadline.
      const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no whole answer within ${Math.round((2 * timeoutMs) / 1000)} s`),
        { code: 'ETIMEDOUT' })), 2 * timeoutMs);
      req.on('timeout', () => {
        req.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err) => {
        clearTimeout(deadline);
        reject(this.failed(target, err));
      });
      req.on('close', () => clearTimeout(deadline));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private failed(target: URL, err: Error): Error {
    const code = String((err as NodeJS.ErrnoException).code ?? err.name);
    this.lastFailure = { host: target.host, code, message: err.message, certificate: isCertificateCode(code) };
    return new Error(`cannot reach ${target.host}: ${code}`);
  }

  /** Forget failures of an earlier operation. */
  reset(): void {
    this.lastFailure = undefined;
    this.lastErrorReply = undefined;
  }
}
