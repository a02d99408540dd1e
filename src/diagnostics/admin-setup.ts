/**
 * The Exchange Online PowerShell an admin runs once so that an app (client credentials) may open
 * a mailbox over IMAP, POP3 or SMTP: register the app's service principal in Exchange and give
 * it FullAccess to the mailbox (the guide's "Web Services" section), filled in from the account.
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
  return [
    `# Exchange Online setup for app-only access of app ${input.clientId} to ${input.mailbox}`,
    '# Run in PowerShell as an Exchange administrator.',
    '',
    'Install-Module -Name ExchangeOnlineManagement',
    'Import-Module ExchangeOnlineManagement',
    ...organizationNote,
    `Connect-ExchangeOnline -Organization ${organization}`,
    '',
    "# Register the app's service principal in Exchange Online.",
    ...objectIdNote,
    newServicePrincipal,
    '',
    '# Check it: the service principal is listed with its Identity and ObjectId.',
    'Get-ServicePrincipal | Format-List',
    '',
    '# Give the service principal full access to the mailbox.',
    addMailboxPermission,
    '',
  ].join('\n');
}
