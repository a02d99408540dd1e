import * as assert from 'node:assert/strict';
import { appSecretOf } from '../../../src/accounts/auth-modes';

describe('The secret of an account\'s app', () => {
  it('a confidential client needs its client secret or its certificate\'s key; a public client needs none', () => {
    assert.deepEqual([
      appSecretOf({ authMode: 'web-app' }),
      appSecretOf({ authMode: 'client-credentials', credential: 'secret' }),
      appSecretOf({ authMode: 'client-credentials', credential: 'certificate' }),
      ...(['vscode', 'msal-browser', 'msal-device-code'] as const).map((authMode) => appSecretOf({ authMode })),
    ], ['clientSecret', 'clientSecret', 'certificatePrivateKey', undefined, undefined, undefined]);
  });
});
