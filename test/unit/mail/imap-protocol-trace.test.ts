import * as assert from 'node:assert/strict';
import { ImapTrace } from '../../../src/mail/imap/protocol-trace';
import { Redactor } from '../../../src/redact';
import { capturingLog } from '../diagnostics/kit';

describe('The IMAP protocol trace as imapflow\'s logger', () => {
  const levels = ['trace', 'debug', 'info', 'warn', 'error'];

  it('tells imapflow trace and debug are off when the log does not trace, so it does not write every reply out as text for nothing', () => {
    const atInfo = { ...capturingLog(), logLevel: 3 };
    const logger = new ImapTrace(atInfo, new Redactor()).imapflowLogger();
    assert.deepEqual(levels.map((l) => logger.isLevelEnabled(l)), [false, false, true, true, true]);
  });

  it('with a tracing log, asks for every line and writes the protocol lines to the trace', () => {
    const atTrace = { ...capturingLog(), logLevel: 1 };
    const logger = new ImapTrace(atTrace, new Redactor()).imapflowLogger();
    logger.debug({ src: 's', msg: '* 12 EXPUNGE' });
    assert.deepEqual([levels.map((l) => logger.isLevelEnabled(l)), atTrace.lines], [[true, true, true, true, true], ['IMAP S: * 12 EXPUNGE']]);
  });
});
