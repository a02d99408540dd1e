/** A request that reached `/{tenant}/oauth2/v2.0/token`, as every grant flow sees it. */
import { Authority } from '../tenancy';

export interface TokenRequest {
  form: URLSearchParams;
  /** The `Authorization` header, for client secrets sent with HTTP Basic. */
  authorization?: string;
  authority: Authority;
  /** The URL the client posted to: the audience its client assertion must name. */
  tokenUrl: string;
}

export function wantsClientInfo(form: URLSearchParams): boolean {
  return form.get('client_info') === '1';
}
