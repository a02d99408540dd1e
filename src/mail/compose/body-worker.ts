/**
 * The worker thread of ./body-encoder: renders the HTML part of a Markdown message. A job is
 * `{ id, markdown, asciiSource, title }`; the answer `{ id, bytes }` (the encoded part, its memory handed
 * over, not copied) or `{ id, error }`. Bundled on its own as dist/body-worker.js, beside dist/core.js.
 */
import { parentPort } from 'node:worker_threads';
import { htmlBodyPart } from './body-parts';

export interface HtmlJob {
  id: number;
  /** UTF-8: md4c reads bytes, so the worker need not encode the text again. */
  markdown: Uint8Array;
  asciiSource: boolean;
  title: string;
}

export type HtmlJobResult = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (job: HtmlJob) => {
  try {
    const encoded = htmlBodyPart(job.markdown, job.title, job.asciiSource);
    // Its memory is handed over, not copied, unless it is a slice of the pool small Buffers share.
    const bytes = encoded.buffer.byteLength > Buffer.poolSize ? encoded : new Uint8Array(encoded);
    parentPort?.postMessage({ id: job.id, bytes } satisfies HtmlJobResult, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies HtmlJobResult);
  }
});
