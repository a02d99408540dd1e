/**
 * The bytes of a message as they are built: kept as they come, so they can be sent while the
 * rest is still being built, sent again (a second attempt), and stored whole (the Sent copy).
 */
import { PassThrough, Readable } from 'node:stream';

export class MessageBytes {
  private readonly chunks: Buffer[] = [];
  private readonly followers = new Set<PassThrough>();
  private failure: Error | undefined;
  private ended = false;
  private joined: Buffer | undefined;
  /** Resolves once every byte is there; rejects if building fails. */
  readonly done: Promise<void>;

  /** Reads `source` at once, whoever reads the streams. */
  constructor(source: Readable) {
    this.done = new Promise<void>((resolve, reject) => {
      source.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        for (const follower of this.followers) follower.write(chunk);
      });
      source.on('end', () => {
        this.ended = true;
        for (const follower of this.followers) follower.end();
        this.followers.clear();
        resolve();
      });
      source.on('error', (error: Error) => {
        this.failure = error;
        for (const follower of this.followers) follower.destroy(error);
        this.followers.clear();
        reject(error);
      });
    });
    this.done.catch(() => undefined);
  }

  /** All the bytes in one Buffer, joined when first asked for (once `done`): not on the way of a send. */
  whole(): Buffer {
    if (!this.ended) throw new Error('the message is not built yet');
    this.joined ??= Buffer.concat(this.chunks);
    return this.joined;
  }

  /** All the bytes, once built; rejects if building fails. */
  get all(): Promise<Buffer> {
    return this.done.then(() => this.whole());
  }

  /** The bytes from the first, as a new stream that follows the build and fails if it does. */
  stream(): Readable {
    const stream = new PassThrough();
    for (const chunk of this.chunks) stream.write(chunk);
    if (this.failure) stream.destroy(this.failure);
    else if (this.ended) stream.end();
    else this.followers.add(stream);
    return stream;
  }
}
