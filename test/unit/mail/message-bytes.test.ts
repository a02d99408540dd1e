/**
 * The bytes of a message as they are built: whoever starts reading, and whenever, gets them all
 * from the first byte; a build that fails fails every reader, so a half-built message is never
 * taken for a whole one.
 */
import * as assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { MessageBytes } from '../../../src/mail/compose/message-bytes';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** How reading a stream to its end went: its error's message, or that it ended. Never rejects, so it can be awaited later. */
function outcome(stream: Readable): Promise<string> {
  return collect(stream).then(() => 'read to the end', (error: Error) => error.message);
}

/** Lets the source's events reach MessageBytes. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const HEAD = Buffer.from('Subject: Release\r\n\r\n');
const MIDDLE = Buffer.from('First half, ');
const TAIL = Buffer.from('second half.\r\n');
const WHOLE = Buffer.concat([HEAD, MIDDLE, TAIL]);

describe('The bytes of a message being built', () => {
  it('are all there once built, though nobody read them', async () => {
    const source = new PassThrough();
    const bytes = new MessageBytes(source);
    source.write(HEAD);
    source.write(MIDDLE);
    source.end(TAIL);
    assert.deepEqual(await bytes.all, WHOLE);
  });

  it('a stream taken after they were built replays them all', async () => {
    const source = new PassThrough();
    const bytes = new MessageBytes(source);
    source.end(WHOLE);
    await bytes.all;
    assert.deepEqual(await collect(bytes.stream()), WHOLE);
  });

  it('a stream taken midway gets them from the first byte, and what follows', async () => {
    const source = new PassThrough();
    const bytes = new MessageBytes(source);
    source.write(HEAD);
    source.write(MIDDLE);
    await turn();
    const midway = bytes.stream();
    source.end(TAIL);
    assert.deepEqual(await collect(midway), WHOLE);
  });

  it('every stream, taken before, midway and after, gets the same bytes (a second attempt sends what the first did)', async () => {
    const source = new PassThrough();
    const bytes = new MessageBytes(source);
    const before = bytes.stream();
    source.write(HEAD);
    await turn();
    const midway = bytes.stream();
    source.end(Buffer.concat([MIDDLE, TAIL]));
    await bytes.all;
    const after = bytes.stream();
    assert.deepEqual(await Promise.all([before, midway, after].map(collect)), [WHOLE, WHOLE, WHOLE]);
  });

  it('when the build fails, `all` rejects and every stream fails, taken before or after', async () => {
    const source = new PassThrough();
    const bytes = new MessageBytes(source);
    const before = outcome(bytes.stream());
    source.write(HEAD);
    await turn();
    const midway = outcome(bytes.stream());
    source.destroy(new Error('the renderer crashed'));
    await assert.rejects(bytes.all, /the renderer crashed/);
    const after = outcome(bytes.stream());
    assert.deepEqual(await Promise.all([before, midway, after]), ['the renderer crashed', 'the renderer crashed', 'the renderer crashed']);
  });
});
