/**
 * The mail faults over the sandbox's control API (`/_sandbox/mail-faults`), as the demo and any
 * process outside the sandbox's arm them: armed over HTTPS, they reach the Exchange fronts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { xoauth2Response } from '../../src/mail/net/xoauth2';
import { ImapWireClient } from './imap-wire-client';
import { sandbox } from './sandbox';

function control(route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const { controlUrl, caFile } = sandbox().info;
  return new Promise((resolve, reject) => {
    const req = request(`${controlUrl}/${route}`, { method: body === undefined ? 'GET' : 'POST', ca: readFileSync(caFile), headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('The sandbox control API for mail faults', () => {
  afterEach(() => sandbox().mail.faults.clear());

  it('arms a fault over HTTPS that the Exchange IMAP front then plays: a throttled LIST', async () => {
    const armed = await control('mail-faults', { user: 'alice@contoso.test', fault: { kind: 'imap-throttled', command: 'LIST', backoffMs: 1500 } });
    assert.equal(armed.status, 200);
    assert.deepEqual(((await control('mail-faults')).json as { fault: { kind: string } }[]).map((f) => f.fault.kind), ['imap-throttled']);
    const box = sandbox();
    const client = await ImapWireClient.connect({ ...box.info.imap.exchange, ca: readFileSync(box.info.caFile, 'utf8') });
    try {
      await client.line();
      const token = box.identity.control.mintAccessToken({ upn: 'alice@contoso.test', unique_name: 'alice@contoso.test' });
      assert.deepEqual(await client.command('a', `AUTHENTICATE XOAUTH2 ${xoauth2Response({ encrypted: true }, { user: 'alice@contoso.test', accessToken: token })}`), ['a OK AUTHENTICATE completed.']);
      assert.deepEqual(await client.command('b', 'LIST "" "Archive"'), ['b BAD Request is throttled. Suggested Backoff Time: 1500 milliseconds']);
    } finally {
      client.close();
    }
  });

  it('refuses a fault without a user, and clears what is armed', async () => {
    assert.equal((await control('mail-faults', { fault: { kind: 'imap-drop' } })).status, 400);
    await control('mail-faults', { user: 'bob@contoso.test', fault: { kind: 'imap-drop' }, times: 0 });
    assert.equal((await control('mail-faults/clear', {})).status, 200);
    assert.deepEqual((await control('mail-faults')).json, []);
  });
});
