/**
 * The HTML part of a Markdown message, rendered on a worker thread (./body-worker) while the
 * SMTP connection (token, TLS, login, envelope) is set up and the text part is sent: the
 * extension host stays responsive while a large document renders. One worker, started on first
 * use and stopped after a minute without work; where no worker can start (or one dies), the
 * HTML is made on this thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { asciiMarkdown, BodyText, htmlBodyPart } from './body-parts';
import type { HtmlJob, HtmlJobResult } from './body-worker';

const IDLE_MS = 60_000;

interface Pending {
  markdown: string;
  title: string;
  resolve(bytes: Buffer): void;
  reject(error: Error): void;
}

class HtmlRenderer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  render(source: BodyText, title: string): Promise<Buffer> {
    const markdown = source.text;
    const worker = this.running();
    if (!worker) return new Promise((resolve) => setImmediate(resolve)).then(() => htmlBodyPart(markdown, title, asciiMarkdown(markdown)));
    clearTimeout(this.idleTimer);
    // A copy, handed over: the text part goes on using the bytes here.
    const owned = new Uint8Array(source.utf8());
    const job: HtmlJob = { id: this.nextId++, markdown: owned, asciiSource: source.asciiWithoutNul(), title };
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(job.id, { markdown, title, resolve, reject });
      worker.ref();
      worker.postMessage(job, [owned.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker; what it was making is made here instead. */
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
    this.pending.delete(result.id);
    if ('error' in result) pending.reject(new Error(`Rendering the Markdown failed: ${result.error}`));
    else pending.resolve(Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength));
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
    for (const { markdown, title, resolve, reject } of all) {
      try {
        resolve(htmlBodyPart(markdown, title, asciiMarkdown(markdown)));
      } catch (cause) {
        reject(cause instanceof Error ? cause : error);
      }
    }
  }
}

const renderer = new HtmlRenderer();

/**
 * The HTML part rendered from `markdown`, titled `title`, on the worker thread. Starts on the
 * next turn of the event loop, so that a connection opened right after goes first.
 */
export function renderHtmlPart(markdown: string | BodyText, title: string): Promise<Buffer> {
  const source = typeof markdown === 'string' ? new BodyText(markdown) : markdown;
  const part = new Promise((resolve) => setImmediate(resolve)).then(() => renderer.render(source, title));
  part.catch(() => undefined);
  return part;
}

/** Stops the worker (on deactivation; a later message starts it again). */
export function stopBodyEncoder(): Promise<void> {
  return renderer.close();
}
