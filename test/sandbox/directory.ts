/**
 * The sandbox's tenant directory: who exists, which app registrations exist, what they were
 * granted. The identity platform issues tokens from it and the mail servers' token check
 * accepts or refuses them from it, so both sides agree by construction.
 */

/** Exchange Online's two resource URIs. Delegated tokens carry the first as `aud`, app-only the second. */
export const EXCHANGE_DELEGATED_AUDIENCE = 'https://outlook.office.com';
export const EXCHANGE_APP_AUDIENCE = 'https://outlook.office365.com';
/** Microsoft Graph, for "token for the wrong audience" cases. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** The well-known tenant id Entra uses for personal Microsoft accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const CONTOSO_TENANT_ID = '5f3c2b1a-8d7e-4c6b-9a1f-2e3d4c5b6a70';

export type Protocol = 'imap' | 'pop3' | 'smtp';

/** Delegated permission (scp) and application permission (roles) that open each protocol. */
export const PROTOCOL_PERMISSIONS: Record<Protocol, { delegated: string; application: string }> = {
  imap: { delegated: 'IMAP.AccessAsUser.All', application: 'IMAP.AccessAsApp' },
  pop3: { delegated: 'POP.AccessAsUser.All', application: 'POP.AccessAsApp' },
  smtp: { delegated: 'SMTP.Send', application: 'SMTP.SendAsApp' },
};

export interface Tenant {
  id: string;
  /** Verified domains: a tenant given by domain in the authority resolves through these. */
  domains: string[];
  kind: 'work' | 'consumers';
}

export interface User {
  /** The sign-in name and mailbox address. */
  upn: string;
  displayName: string;
  oid: string;
  tenantId: string;
  /** A shared mailbox has no sign-in of its own; apps and delegates reach it. */
  shared?: boolean;
  /**
   * Mailboxes this user holds FullAccess on (`Add-MailboxPermission -Identity <mailbox> -User <user>
   * -AccessRights FullAccess`): over IMAP and POP they open them with their own delegated token.
   */
  fullAccess?: string[];
  /** Mailboxes this user may send as (`Add-RecipientPermission <mailbox> -Trustee <user> -AccessRights SendAs`). */
  sendAs?: string[];
}

export interface AppRegistration {
  /** A short name for tests and sandbox.json. */
  key: 'public' | 'publicNoDeviceFlow' | 'web' | 'daemon' | 'daemonCert';
  displayName: string;
  clientId: string;
  homeTenantId: string;
  /** Object id of the app's service principal in its home tenant (what New-ServicePrincipal registers in Exchange). */
  servicePrincipalId: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount';
  /** "Allow public client flows" in Entra: device code and other public-client grants. */
  publicClient: boolean;
  allowPublicClientFlows: boolean;
  /** Redirect URIs; `http://localhost` matches any loopback port, as Entra does for public clients. */
  redirectUris: string[];
  /** Client secrets (confidential clients). */
  secrets: string[];
  /** Delegated permissions, as `resource/permission`, e.g. `https://outlook.office.com/SMTP.Send`. */
  delegatedPermissions: string[];
  /** Application permissions (app roles) on Exchange, consented by an admin. */
  applicationPermissions: string[];
  /** Mailboxes the app's service principal was given FullAccess to (Add-MailboxPermission). */
  mailboxPermissions: string[];
  /** Whether the certificate the sandbox generates is registered for this app. */
  usesCertificate?: boolean;
}

export const TENANTS: Tenant[] = [
  { id: CONTOSO_TENANT_ID, domains: ['contoso.test'], kind: 'work' },
  { id: CONSUMERS_TENANT_ID, domains: ['outlook.test'], kind: 'consumers' },
];

export const USERS: User[] = [
  { upn: 'alice@contoso.test', displayName: 'Alice Lindqvist', oid: 'a11ce000-0000-4000-8000-000000000001', tenantId: CONTOSO_TENANT_ID,
    fullAccess: ['shared@contoso.test'], sendAs: ['shared@contoso.test'] },
  { upn: 'bob@contoso.test', displayName: 'Bob Okafor', oid: 'b0b00000-0000-4000-8000-000000000002', tenantId: CONTOSO_TENANT_ID },
  { upn: 'shared@contoso.test', displayName: 'Contoso Shared', oid: '5a4ed000-0000-4000-8000-000000000003', tenantId: CONTOSO_TENANT_ID, shared: true },
  { upn: 'carol@outlook.test', displayName: 'Carol Personal', oid: 'ca401000-0000-4000-8000-000000000004', tenantId: CONSUMERS_TENANT_ID },
];

const OUTLOOK_DELEGATED = ['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send'].map((p) => `${EXCHANGE_DELEGATED_AUDIENCE}/${p}`);
const OUTLOOK_APPLICATION = ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'];
const GRAPH_DELEGATED = [`${GRAPH_AUDIENCE}/User.Read`];

export const APPS: AppRegistration[] = [
  {
    key: 'public', displayName: 'Exchange Mail (public client)',
    clientId: '0d2c1b4a-1111-4aaa-8bbb-000000000001', homeTenantId: CONTOSO_TENANT_ID,
    servicePrincipalId: '5e000000-1111-4aaa-8bbb-000000000001',
    signInAudience: 'AzureADandPersonalMicrosoftAccount', publicClient: true, allowPublicClientFlows: true,
    redirectUris: ['http://localhost', 'https://vscode.dev/redirect'], secrets: [],
    delegatedPermissions: [...OUTLOOK_DELEGATED, ...GRAPH_DELEGATED], applicationPermissions: [], mailboxPermissions: [],
  },
  {
    key: 'publicNoDeviceFlow', displayName: 'Exchange Mail (public client flows off)',
    clientId: '0d2c1b4a-2222-4aaa-8bbb-000000000002', homeTenantId: CONTOSO_TENANT_ID,
    servicePrincipalId: '5e000000-2222-4aaa-8bbb-000000000002',
    signInAudience: 'AzureADMultipleOrgs', publicClient: true, allowPublicClientFlows: false,
    redirectUris: ['http://localhost'], secrets: [],
    delegatedPermissions: [...OUTLOOK_DELEGATED], applicationPermissions: [], mailboxPermissions: [],
  },
  {
    key: 'web', displayName: 'Exchange Mail (web app)',
    clientId: '0d2c1b4a-3333-4aaa-8bbb-000000000003', homeTenantId: CONTOSO_TENANT_ID,
    servicePrincipalId: '5e000000-3333-4aaa-8bbb-000000000003',
    signInAudience: 'AzureADMyOrg', publicClient: false, allowPublicClientFlows: false,
    redirectUris: ['http://localhost'], secrets: ['web~sandbox-secret-3333'],
    delegatedPermissions: [...OUTLOOK_DELEGATED], applicationPermissions: [], mailboxPermissions: [],
  },
  {
    key: 'daemon', displayName: 'Exchange Mail (daemon, secret)',
    clientId: '0d2c1b4a-4444-4aaa-8bbb-000000000004', homeTenantId: CONTOSO_TENANT_ID,
    servicePrincipalId: '5e000000-4444-4aaa-8bbb-000000000004',
    signInAudience: 'AzureADMyOrg', publicClient: false, allowPublicClientFlows: false,
    redirectUris: [], secrets: ['daemon~sandbox-secret-4444'],
    delegatedPermissions: [], applicationPermissions: OUTLOOK_APPLICATION, mailboxPermissions: ['shared@contoso.test'],
  },
  {
    key: 'daemonCert', displayName: 'Exchange Mail (daemon, certificate)',
    clientId: '0d2c1b4a-5555-4aaa-8bbb-000000000005', homeTenantId: CONTOSO_TENANT_ID,
    servicePrincipalId: '5e000000-5555-4aaa-8bbb-000000000005',
    signInAudience: 'AzureADMyOrg', publicClient: false, allowPublicClientFlows: false,
    redirectUris: [], secrets: [], usesCertificate: true,
    delegatedPermissions: [], applicationPermissions: OUTLOOK_APPLICATION, mailboxPermissions: ['shared@contoso.test'],
  },
];

export function findUser(address: string): User | undefined {
  const wanted = address.toLowerCase();
  return USERS.find((u) => u.upn === wanted);
}

/** Whether `person` holds FullAccess on `mailbox`; addresses compare in any case, as Exchange's do. */
export function holdsFullAccess(person: string, mailbox: string): boolean {
  return mayUse(findUser(person)?.fullAccess, mailbox);
}

/** Whether `person` holds SendAs on `mailbox`. */
export function holdsSendAs(person: string, mailbox: string): boolean {
  return mayUse(findUser(person)?.sendAs, mailbox);
}

function mayUse(mailboxes: string[] | undefined, mailbox: string): boolean {
  const wanted = mailbox.toLowerCase();
  return (mailboxes ?? []).some((m) => m.toLowerCase() === wanted);
}

export function findApp(clientId: string): AppRegistration | undefined {
  return APPS.find((a) => a.clientId === clientId);
}

export function appByKey(key: AppRegistration['key']): AppRegistration {
  const app = APPS.find((a) => a.key === key);
  if (!app) throw new Error(`no sandbox app ${key}`);
  return app;
}

/** Resolves the tenant segment of an authority URL (`organizations`, `common`, `consumers`, a GUID or a domain). */
export function findTenant(segment: string): Tenant | undefined {
  const wanted = segment.toLowerCase();
  return TENANTS.find((t) => t.id === wanted || t.domains.includes(wanted));
}
