/**
 * The scopes an account asks for, per protocol, as the guide gives them: delegated
 * `<resource>/IMAP.AccessAsUser.All`, `/POP.AccessAsUser.All`, `/SMTP.Send` with
 * `offline_access`; app-only `<IMAP/POP resource>/.default` and `<SMTP resource>/.default`.
 * Built once per account from its settings.
 */
import type { Protocol } from '../mail/server';
import type { AuthSettings } from './token-source';

const DELEGATED_PERMISSIONS: Record<Protocol, string> = {
  imap: 'IMAP.AccessAsUser.All',
  pop3: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};

export const OFFLINE_ACCESS = 'offline_access';
const VSCODE_CLIENT_ID = 'VSCODE_CLIENT_ID:';
const VSCODE_TENANT = 'VSCODE_TENANT:';

function resourceUri(resource: string): string {
  return resource.trim().replace(/\/+$/, '');
}

export type ScopeSettings = Pick<AuthSettings, 'mode' | 'clientId' | 'tenant' | 'delegatedResource' | 'appOnlyResources' | 'protocols'>;

export class AccountScopes {
  /** App-only (client credentials) rather than on behalf of a signed-in user. */
  readonly appOnly: boolean;
  private readonly perProtocol: Record<Protocol, readonly string[]>;
  private readonly protocols: readonly Protocol[];
  private readonly vscodeMarkers: readonly string[];

  constructor(settings: ScopeSettings) {
    this.appOnly = settings.mode === 'client-credentials';
    const delegated = resourceUri(settings.delegatedResource);
    const imapPop = resourceUri(settings.appOnlyResources.imapPop);
    const smtp = resourceUri(settings.appOnlyResources.smtp);
    this.perProtocol = this.appOnly
      ? { imap: [`${imapPop}/.default`], pop3: [`${imapPop}/.default`], smtp: [`${smtp}/.default`] }
      : {
        imap: [`${delegated}/${DELEGATED_PERMISSIONS.imap}`, OFFLINE_ACCESS],
        pop3: [`${delegated}/${DELEGATED_PERMISSIONS.pop3}`, OFFLINE_ACCESS],
        smtp: [`${delegated}/${DELEGATED_PERMISSIONS.smtp}`, OFFLINE_ACCESS],
      };
    this.protocols = [...new Set(settings.protocols)];
    this.vscodeMarkers = [`${VSCODE_CLIENT_ID}${settings.clientId}`, `${VSCODE_TENANT}${settings.tenant}`];
  }

  /** The scopes of a token for one protocol. */
  forProtocol(protocol: Protocol): string[] {
    return [...this.perProtocol[protocol]];
  }

  /**
   * What the first sign-in asks for: every protocol of the account at once, so that later
   * tokens for the other protocols come silently (the guide's "registration scopes"), and the
   * protocol asked for now should the account not list it.
   */
  consent(also?: Protocol): string[] {
    const protocols = also && !this.protocols.includes(also) ? [...this.protocols, also] : this.protocols;
    return [...new Set(protocols.flatMap((p) => this.perProtocol[p]))];
  }

  /** For VS Code's `microsoft` provider: the scopes plus which app registration and tenant to use. */
  forVsCode(scopes: string[]): string[] {
    return [...scopes, ...this.vscodeMarkers];
  }
}

/** The scopes the caller asked for, without VS Code's markers (what a token reports as granted). */
export function withoutVsCodeMarkers(scopes: string[]): string[] {
  return scopes.filter((s) => !s.startsWith(VSCODE_CLIENT_ID) && !s.startsWith(VSCODE_TENANT));
}
