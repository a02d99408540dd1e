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
  /** All the bytes, once built; rejects if building fails. */
  readonly all: Promise<Buffer>;

  /** Reads `source` at once, whoever reads the streams. */
  constructor(source: Readable) {
    this.all = new Promise<Buffer>((resolve, reject) => {
      source.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        for (const follower of this.followers) follower.write(chunk);
      });
      source.on('end', () => {
        this.ended = true;
        for (const follower of this.followers) follower.end();
        this.followers.clear();
        resolve(Buffer.concat(this.chunks));
      });
      source.on('error', (error: Error) => {
        this.failure = error;
        for (const follower of this.followers) follower.destroy(error);
        this.followers.clear();
        reject(error);
      });
    });
    this.all.catch(() => undefined);
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

/** A stream of bytes that are still being made: they, once there, or the error. */
export function streamOf(bytes: Promise<Buffer>): Readable {
  const stream = new PassThrough();
  bytes.then((value) => stream.end(value), (error: Error) => stream.destroy(error));
  return stream;
}
