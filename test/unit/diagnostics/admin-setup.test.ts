import * as assert from 'node:assert/strict';
import { adminSetupScript, SERVICE_PRINCIPAL_PLACEHOLDER } from '../../../src/diagnostics/admin-setup';
import { CLIENT_ID, CONTOSO, SERVICE_PRINCIPAL, SHARED } from './kit';

describe('Exchange admin setup commands', () => {
  it('fill in the app id, tenant, mailbox and service principal in the guide\'s order', () => {
    const script = adminSetupScript({ clientId: CLIENT_ID, tenant: CONTOSO, mailbox: SHARED, servicePrincipalObjectId: SERVICE_PRINCIPAL });
    const commands = script.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(commands, [
      'Install-Module -Name ExchangeOnlineManagement',
      'Import-Module ExchangeOnlineManagement',
      `Connect-ExchangeOnline -Organization ${CONTOSO}`,
      `New-ServicePrincipal -AppId ${CLIENT_ID} -ObjectId ${SERVICE_PRINCIPAL}`,
      'Get-ServicePrincipal | Format-List',
      `Add-MailboxPermission -Identity "${SHARED}" -User ${SERVICE_PRINCIPAL} -AccessRights FullAccess`,
      `New-ManagementScope -Name "Exchange Mail ${CLIENT_ID}" -RecipientRestrictionFilter "PrimarySmtpAddress -eq '${SHARED}'"`,
      `New-ManagementRoleAssignment -App ${SERVICE_PRINCIPAL} -Role "Application SMTP.SendAsApp" -CustomResourceScope "Exchange Mail ${CLIENT_ID}"`,
    ]);
  });

  it('for an app-only account with shared mailboxes, give the service principal each of them, and SendAs to send from them', () => {
    const script = adminSetupScript({ clientId: CLIENT_ID, tenant: CONTOSO, mailbox: SHARED, servicePrincipalObjectId: SERVICE_PRINCIPAL, sharedMailboxes: ['alerts@contoso.test'] });
    assert.ok(script.includes(`Add-MailboxPermission -Identity "alerts@contoso.test" -User ${SERVICE_PRINCIPAL} -AccessRights FullAccess`), script);
    assert.ok(script.includes(`Add-RecipientPermission -Identity "alerts@contoso.test" -Trustee ${SERVICE_PRINCIPAL} -AccessRights SendAs -Confirm:$false`), script);
    assert.ok(script.includes(`PrimarySmtpAddress -eq '${SHARED}' -or PrimarySmtpAddress -eq 'alerts@contoso.test'`), script);
  });

  it('for a person: the protocols on, FullAccess and SendAs on each shared mailbox, and the admin-consent link', () => {
    const consent = `https://login.microsoftonline.com/${CONTOSO}/adminconsent?client_id=${CLIENT_ID}`;
    const script = adminSetupScript({ clientId: CLIENT_ID, tenant: CONTOSO, mailbox: 'alice@contoso.test', delegated: true,
      sharedMailboxes: [SHARED], adminConsentUrl: consent });
    const commands = script.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(commands.slice(2), [
      `Connect-ExchangeOnline -Organization ${CONTOSO}`,
      'Set-CASMailbox -Identity alice@contoso.test -ImapEnabled $true -PopEnabled $true -SmtpClientAuthenticationDisabled $false',
      `Add-MailboxPermission -Identity "${SHARED}" -User alice@contoso.test -AccessRights FullAccess -InheritanceType All`,
      `Add-RecipientPermission -Identity "${SHARED}" -Trustee alice@contoso.test -AccessRights SendAs -Confirm:$false`,
    ]);
    assert.ok(script.includes(`#   ${consent}`) && !script.includes('New-ServicePrincipal'));
  });

  it('leave a placeholder for the service principal and say where Entra shows it', () => {
    const script = adminSetupScript({ clientId: CLIENT_ID, tenant: CONTOSO, mailbox: SHARED });
    assert.ok(script.includes(`-ObjectId ${SERVICE_PRINCIPAL_PLACEHOLDER}`) && /Enterprise applications > \(this app\) > Overview > Object ID/.test(script));
  });

  it('take the tenant from the token when the account names no single tenant', () => {
    const script = adminSetupScript({ clientId: CLIENT_ID, tenant: 'organizations', mailbox: SHARED, tokenTenantId: CONTOSO });
    assert.ok(script.includes(`Connect-ExchangeOnline -Organization ${CONTOSO}`));
  });
});
