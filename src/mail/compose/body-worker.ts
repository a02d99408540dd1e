/**
 * The worker thread of ./body-renderer: renders the HTML part of a Markdown message. A job is
 * `{ id, markdown, asciiSource, title }`; the answers are `{ id, bytes, last }`, the part in
 * pieces as they are rendered (their memory handed over, not copied), or `{ id, error }`.
 * Bundled on its own as dist/body-worker.js, beside dist/core.js.
 */
import { parentPort } from 'node:worker_threads';
import { htmlBodyPieces } from './body-parts';

export interface HtmlJob {
  id: number;
  /** UTF-8: md4c reads bytes, so the worker need not encode the text again. */
  markdown: Uint8Array;
  asciiSource: boolean;
  title: string;
}

export type HtmlJobResult = { id: number; bytes: Uint8Array; last: boolean } | { id: number; error: string };

parentPort?.on('message', (job: HtmlJob) => {
  try {
    const pieces = htmlBodyPieces(job.markdown, job.title, job.asciiSource);
    let next = pieces.next();
    while (!next.done) {
      const piece = next.value;
      next = pieces.next();
      // Its memory is handed over, not copied, unless it is a slice of the pool small Buffers share.
      const bytes = piece.buffer.byteLength > Buffer.poolSize ? piece : new Uint8Array(piece);
      parentPort?.postMessage({ id: job.id, bytes, last: next.done === true } satisfies HtmlJobResult, [bytes.buffer as ArrayBuffer]);
    }
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies HtmlJobResult);
  }
});
