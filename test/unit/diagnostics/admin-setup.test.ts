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
    ]);
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
