/**
 * Sending a message whose bytes are still being built: when the build fails (the renderer
 * crashes halfway), the send fails as `build-failed`, whatever the connection did meanwhile,
 * and nobody receives half a message.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSecureContext, SecureContext } from 'node:tls';
import { OutgoingMessage } from '../../../src/mail/compose/rfc822';
import { MailServer } from '../../../src/mail/server';
import { sendRfc822 } from '../../../src/mail/smtp/send';
import { ensureCertificates } from '../../sandbox/certificates';
import { explainedFailure } from '../../explained-failure';
import { FakeSmtpServer } from './smtp-fake-server';

const USER = 'alice@contoso.test';
const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJnb29kIjp0cnVlfQ.good-token-signature';
const HALF = 'From: alice@contoso.test\r\nTo: bob@contoso.test\r\nSubject: Half\r\nContent-Type: text/plain\r\n\r\nThe first half of the body.\r\n';

/** A message whose build fails: its bytes stop after the first half, then the stream fails. */
function failingMessage(failure: Error): OutgoingMessage {
  const built = Promise.reject(failure);
  built.catch(() => undefined);
  return {
    messageId: '<half@contoso.test>',
    envelope: { from: USER, to: ['bob@contoso.test'] },
    built,
    bytes: () => {
      throw failure;
    },
    stream: () => {
      let halfSent = false;
      return new Readable({
        read() {
          if (halfSent) {
            setImmediate(() => this.destroy(failure));
          } else {
            halfSent = true;
            this.push(Buffer.from(HALF));
          }
        },
      });
    },
  };
}

describe('Sending a message whose build fails', () => {
  let stateDir: string;
  let ca: string;
  let secureContext: SecureContext;
  let fake: FakeSmtpServer;
  let server: MailServer;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'smtp-build-failure-test-'));
    const certificates = ensureCertificates(stateDir);
    ca = readFileSync(certificates.caFile, 'utf8');
    secureContext = createSecureContext({ cert: readFileSync(certificates.serverCertFile), key: readFileSync(certificates.serverKeyFile) });
    fake = new FakeSmtpServer({ goodTokens: [TOKEN], refusal: 'direct' }, secureContext, true);
    server = { host: '127.0.0.1', port: await fake.listen(), security: 'tls', ca };
  });

  after(async () => {
    await fake.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('fails as build-failed, says nothing was sent, and the server has no message', async () => {
    const credentials = async () => ({ user: USER, accessToken: TOKEN });
    const error = await explainedFailure(sendRfc822(server, credentials, failingMessage(new Error('the renderer crashed')), { from: USER, sizeBytes: 200 }));
    assert.deepEqual({ code: error.code, connected: fake.recorded.connections, delivered: fake.recorded.messages.length }, { code: 'build-failed', connected: 1, delivered: 0 });
    assert.match(error.message, /nothing was sent: the renderer crashed/);
  });
});
