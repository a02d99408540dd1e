import * as assert from 'node:assert/strict';
import { PRESETS, suggestedPreset } from '../../../src/accounts/presets';

describe('Account presets', () => {
  it('Microsoft 365 uses Exchange Online: IMAP and POP over TLS, SMTP with STARTTLS, tenant organizations', () => {
    assert.deepEqual(PRESETS.microsoft365.servers, {
      imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
      pop3: { host: 'outlook.office365.com', port: 995, security: 'tls' },
      smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    });
    assert.equal(PRESETS.microsoft365.tenant, 'organizations');
  });

  it('Outlook.com sends through smtp-mail.outlook.com and signs in personal accounts (tenant consumers)', () => {
    assert.deepEqual(PRESETS.outlook.servers?.smtp, { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' });
    assert.deepEqual(PRESETS.outlook.servers?.imap, { host: 'outlook.office365.com', port: 993, security: 'tls' });
    assert.deepEqual(PRESETS.outlook.servers?.pop3, { host: 'outlook.office365.com', port: 995, security: 'tls' });
    assert.equal(PRESETS.outlook.tenant, 'consumers');
  });

  it('Custom brings no servers: the user gives each', () => {
    assert.equal(PRESETS.custom.servers, undefined);
  });

  it('a personal address suggests Outlook.com, anything else Microsoft 365', () => {
    assert.equal(suggestedPreset('carol@hotmail.com'), 'outlook');
    assert.equal(suggestedPreset('carol@outlook.co.uk'), 'outlook');
    assert.equal(suggestedPreset('bob@contoso.com'), 'microsoft365');
  });
});
