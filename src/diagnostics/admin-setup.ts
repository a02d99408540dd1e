/**
 * The Exchange Online PowerShell an admin runs once, filled in from the account:
 * - app-only (client credentials): register the app's service principal in Exchange and give it
 *   FullAccess to the mailbox (the guide's "Web Services" section) and to each shared mailbox;
 *   to send as them, SMTP.SendAsApp through Exchange's App RBAC (since October 2025) and SendAs;
 * - delegated: FullAccess and SendAs for the user on each shared mailbox (Microsoft's page on
 *   shared mailboxes), and the protocols turned on for the mailbox;
 * - for both, the admin-consent link for the app, for users who see "Need admin approval".
 */

export const SERVICE_PRINCIPAL_PLACEHOLDER = '<SERVICE_PRINCIPAL_OBJECT_ID>';
export const TENANT_PLACEHOLDER = '<TENANT_ID>';

export interface AdminSetupInput {
  /** The app registration's Application (client) ID. */
  clientId: string;
  /** The account's tenant setting (GUID or verified domain; `organizations` and the like name no tenant). */
  tenant: string;
  /** The mailbox the app opens (the XOAUTH2 user of its tokens). */
  mailbox: string;
  /** The tenant id from a token, when the setting names no single tenant. */
  tokenTenantId?: string;
  /** The service principal's object id: the `oid` claim of an app-only token, when one could be had. */
  servicePrincipalObjectId?: string;
  /** Delegated accounts get the delegation commands; app-only (the default) the service principal's. */
  delegated?: boolean;
  /** The shared mailboxes the account opens. */
  sharedMailboxes?: string[];
  /** The app's admin-consent page in the tenant. */
  adminConsentUrl?: string;
}

const MULTI_TENANT = new Set(['organizations', 'common', 'consumers']);

export function organizationOf(input: Pick<AdminSetupInput, 'tenant' | 'tokenTenantId'>): string {
  const tenant = input.tenant.trim();
  if (tenant && !MULTI_TENANT.has(tenant.toLowerCase())) return tenant;
  return input.tokenTenantId ?? TENANT_PLACEHOLDER;
}

/** `New-ServicePrincipal …` and `Add-MailboxPermission …`, the two lines that grant access. */
export function grantCommands(input: AdminSetupInput): string[] {
  const objectId = input.servicePrincipalObjectId ?? SERVICE_PRINCIPAL_PLACEHOLDER;
  return [
    `New-ServicePrincipal -AppId ${input.clientId} -ObjectId ${objectId}`,
    `Add-MailboxPermission -Identity "${input.mailbox}" -User ${objectId} -AccessRights FullAccess`,
  ];
}

/** FullAccess and SendAs for a person on a shared mailbox. */
function delegationCommands(shared: string, user: string): string[] {
  return [
    `Add-MailboxPermission -Identity "${shared}" -User ${user} -AccessRights FullAccess -InheritanceType All`,
    `Add-RecipientPermission -Identity "${shared}" -Trustee ${user} -AccessRights SendAs -Confirm:$false`,
  ];
}

function consentNote(input: AdminSetupInput): string[] {
  return input.adminConsentUrl
    ? ['# Admin consent for the app\'s Exchange permissions (users see "Need admin approval" without it): open', `#   ${input.adminConsentUrl}`]
    : [];
}

/** The script's head: what it is for, the consent link, and the module installed and connected. */
function opening(title: string, input: AdminSetupInput, organization: string, organizationNote: string[]): string[] {
  return [
    title,
    '# Run in PowerShell as an Exchange administrator.',
    ...consentNote(input),
    '',
    'Install-Module -Name ExchangeOnlineManagement',
    'Import-Module ExchangeOnlineManagement',
    ...organizationNote,
    `Connect-ExchangeOnline -Organization ${organization}`,
    '',
  ];
}

function delegatedScript(input: AdminSetupInput, organization: string, organizationNote: string[]): string {
  const shared = input.sharedMailboxes ?? [];
  return [
    ...opening(`# Exchange Online setup for ${input.mailbox}, signing in with app ${input.clientId}`, input, organization, organizationNote),
    '# IMAP, POP and SMTP AUTH on for the mailbox (each is on by default unless a policy turned it off).',
    `Set-CASMailbox -Identity ${input.mailbox} -ImapEnabled $true -PopEnabled $true -SmtpClientAuthenticationDisabled $false`,
    ...(shared.length ? ['', `# Shared mailboxes ${input.mailbox} opens (FullAccess) and sends as (SendAs).`] : []),
    ...shared.flatMap((mailbox) => delegationCommands(mailbox, input.mailbox)),
    '',
  ].join('\n');
}

function appSendAsCommands(input: AdminSetupInput, objectId: string): string[] {
  const mailboxes = [input.mailbox, ...(input.sharedMailboxes ?? [])];
  const scope = `Exchange Mail ${input.clientId}`;
  const filter = mailboxes.map((m) => `PrimarySmtpAddress -eq '${m}'`).join(' -or ');
  return [
    '# Sending (SMTP.SendAsApp): the Entra application permission with admin consent, or, since October 2025,',
    '# Exchange\'s App RBAC, limited to these mailboxes:',
    `New-ManagementScope -Name "${scope}" -RecipientRestrictionFilter "${filter}"`,
    `New-ManagementRoleAssignment -App ${objectId} -Role "Application SMTP.SendAsApp" -CustomResourceScope "${scope}"`,
    ...(input.sharedMailboxes?.length ? ['# Sending with another mailbox as From also needs SendAs on it:'] : []),
    ...(input.sharedMailboxes ?? []).map((m) => `Add-RecipientPermission -Identity "${m}" -Trustee ${objectId} -AccessRights SendAs -Confirm:$false`),
  ];
}

/** The whole script, with comments saying where each value comes from. */
export function adminSetupScript(input: AdminSetupInput): string {
  const organization = organizationOf(input);
  const [newServicePrincipal, addMailboxPermission] = grantCommands(input);
  const objectIdNote = input.servicePrincipalObjectId
    ? [`# ${input.servicePrincipalObjectId} is the object id of the app's service principal (the oid claim of its app-only token).`]
    : [
      `# Replace ${SERVICE_PRINCIPAL_PLACEHOLDER} with the object id of the app's service principal:`,
      '# Entra admin center > Enterprise applications > (this app) > Overview > Object ID.',
      '# It is NOT the Object ID on the App registrations page.',
    ];
  const organizationNote = organization === TENANT_PLACEHOLDER
    ? [`# Replace ${TENANT_PLACEHOLDER} with the Directory (tenant) ID or the tenant's domain (contoso.onmicrosoft.com).`]
    : [];
  if (input.delegated) return delegatedScript(input, organization, organizationNote);
  const objectId = input.servicePrincipalObjectId ?? SERVICE_PRINCIPAL_PLACEHOLDER;
  const sharedGrants = (input.sharedMailboxes ?? []).map((m) => grantCommands({ ...input, mailbox: m })[1]!);
  return [
    ...opening(`# Exchange Online setup for app-only access of app ${input.clientId} to ${input.mailbox}`, input, organization, organizationNote),
    "# Register the app's service principal in Exchange Online.",
    ...objectIdNote,
    newServicePrincipal,
    '',
    '# Check it: the service principal is listed with its Identity and ObjectId.',
    'Get-ServicePrincipal | Format-List',
    '',
    '# Give the service principal full access to the mailbox.',
    addMailboxPermission,
    ...sharedGrants,
    '',
    ...appSendAsCommands(input, objectId),
    '',
  ].join('\n');
}
