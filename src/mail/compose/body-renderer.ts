/**
 * The HTML part of a Markdown message, rendered on a worker thread (./body-worker) while the
 * SMTP connection (token, TLS, login, envelope) is set up and the text part is sent: the
 * extension host stays responsive while a large document renders, and a large document's
 * HTML streams in pieces as they are rendered. One worker, started on first use and stopped
 * after a minute without work; where no worker can start (or one dies before it has sent
 * anything of a part), the HTML is made on this thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { BodyText, htmlBodyPieces } from './body-parts';
import type { HtmlJob, HtmlJobResult } from './body-worker';

const IDLE_MS = 60_000;

interface Pending {
  source: BodyText;
  title: string;
  part: PassThrough;
  /** Pieces already written to `part`. */
  written: number;
}

/** Makes the part on this thread, into `part`. */
function renderHere(source: BodyText, title: string, part: PassThrough): void {
  try {
    for (const piece of htmlBodyPieces(source.utf8(), title, source.asciiWithoutNul())) part.write(piece);
    part.end();
  } catch (error) {
    part.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

class HtmlRenderer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  /** Renders into `part`. */
  render(source: BodyText, title: string, part: PassThrough): void {
    const worker = this.running();
    if (!worker) {
      renderHere(source, title, part);
      return;
    }
    clearTimeout(this.idleTimer);
    // A copy, handed over: the text part goes on using the bytes here.
    const owned = new Uint8Array(source.utf8());
    const job: HtmlJob = { id: this.nextId++, markdown: owned, asciiSource: source.asciiWithoutNul(), title };
    this.pending.set(job.id, { source, title, part, written: 0 });
    worker.ref();
    worker.postMessage(job, [owned.buffer as ArrayBuffer]);
  }

  /** Stops the worker; what it had not started to send is made here instead. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    this.takeOverPending(new Error('The Markdown renderer was stopped.'));
    await worker?.terminate();
  }

  private running(): Worker | undefined {
    if (this.worker) return this.worker;
    const file = join(__dirname, 'body-worker.js');
    if (!existsSync(file)) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(file);
    } catch {
      return undefined;
    }
    worker.on('message', (result: HtmlJobResult) => this.settle(result));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`The Markdown renderer stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private settle(result: HtmlJobResult): void {
    const pending = this.pending.get(result.id);
    if (!pending) return;
    if ('error' in result) {
      this.pending.delete(result.id);
      pending.part.destroy(new Error(`Rendering the Markdown failed: ${result.error}`));
    } else {
      pending.part.write(Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength));
      pending.written++;
      if (!result.last) return;
      this.pending.delete(result.id);
      pending.part.end();
    }
    if (this.pending.size === 0) this.idle();
  }

  private idle(): void {
    this.worker?.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }

  /** The worker died: what it had not answered is made here, and the next job starts a new one. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.takeOverPending(error);
  }

  private takeOverPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const { source, title, part, written } of all) {
      // Half a part cannot be finished here: the message fails, and nothing is delivered.
      if (written > 0) part.destroy(error);
      else renderHere(source, title, part);
    }
  }
}

const renderer = new HtmlRenderer();

/**
 * The HTML part rendered from `markdown`, titled `title`, as a stream. Starts on the next turn
 * of the event loop, so that a connection opened right after goes first.
 */
export function renderHtmlPart(markdown: string | BodyText, title: string): Readable {
  const source = typeof markdown === 'string' ? new BodyText(markdown) : markdown;
  const part = new PassThrough();
  setImmediate(() => renderer.render(source, title, part));
  return part;
}

/** Stops the worker (on deactivation; a later message starts it again). */
export function stopBodyRenderer(): Promise<void> {
  return renderer.close();
}
