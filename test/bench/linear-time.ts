/**
 * Linear time on hostile input: what a server or a message sends is grown 2x, 4x and 8x, and
 * the time each step takes is reported as a ratio to the 1x time of the same run. Near-linear
 * is 8x input in at most 12x time; a quadratic step shows as about 64x. Each size is the median
 * of several runs after a warm-up, so the first run's compilation does not count.
 *
 * Covered: HTML to text, message headers and MIME structure (mailparser via parseMessage), the
 * redactor, the IMAP response framer and parser on huge LIST/STATUS/FETCH responses, modified
 * UTF-7 folder names, and the folder tree.
 */
import { performance } from 'node:perf_hooks';
import { Redactor } from '../../src/redact';
import { FolderTree, ListedFolder } from '../../src/mail/imap/folder-model';
import { htmlToText } from '../../src/mail/imap/html-text';
import { parseMessage } from '../../src/mail/imap/message-document';
import { decodeMailboxName, encodeMailboxName } from '../../src/mail/imap/modified-utf7';
import { parseResponse, ResponseFramer } from '../../src/mail/imap/response-parser';
import { median } from './activation';

/** 8x the input in more than this many times the time fails the benchmark. */
export const MAX_RATIO_AT_8X = 12;
const FACTORS = [1, 2, 4, 8];

interface HostileInput {
  name: string;
  /** The work on an input `factor` times the base size. */
  prepare(factor: number): () => unknown;
}

export interface LinearTimeResult {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
  detail: { ratios: Record<string, number>; ms: number[]; ok: boolean };
}

const html = (name: string, make: (factor: number) => string): HostileInput => ({ name: `HTML to text: ${name}`, prepare: (f) => { const input = make(f); return () => htmlToText(input); } });

function message(headers: string[], body: string[]): Buffer {
  return Buffer.from([...headers, '', ...body, ''].join('\r\n'));
}

const parsing = (name: string, make: (factor: number) => Buffer): HostileInput => ({ name: `message parsing: ${name}`, prepare: (f) => { const source = make(f); return () => parseMessage('INBOX', 1, source); } });

function nestedMime(depth: number): Buffer {
  const open = Array.from({ length: depth }, (_, i) => [`Content-Type: multipart/mixed; boundary="b${i}"`, '', `--b${i}`]).flat();
  const close = Array.from({ length: depth }, (_, i) => `--b${depth - 1 - i}--`);
  return message(['From: a@contoso.test', 'Subject: deep', 'MIME-Version: 1.0'], [...open, 'Content-Type: text/plain', '', 'leaf', ...close]);
}

function manyParts(count: number): Buffer {
  const parts = Array.from({ length: count }, (_, i) => [`--b`, 'Content-Type: application/octet-stream', `Content-Disposition: attachment; filename="f${i}.bin"`, '', `part ${i}`]).flat();
  return message(['From: a@contoso.test', 'Subject: parts', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'], [...parts, '--b--']);
}

/** Pieces of text that make a careless pattern backtrack, mixed. */
const ADVERSARIAL = ['-eyJ', 'eyJ.', 'Bearer ', 'AUTH XOAUTH2 ', 'refresh_token=', '\\\\', '"code":', '?code=', '-----BEGIN PRIVATE KEY-----', 'A'.repeat(64), ' '.repeat(64)];

/** One IMAP response stream, fed to the framer in 16 KiB chunks as a socket delivers it, each response parsed. */
/** The bytes pushed to the framer in `chunk`-byte pieces, as a socket delivers them. */
function imapStream(make: (factor: number) => string, chunk = 16 * 1024): (factor: number) => () => unknown {
  return (factor) => {
    const bytes = Buffer.from(make(factor), 'latin1');
    return () => {
      const framer = new ResponseFramer();
      let parsed = 0;
      for (let at = 0; at < bytes.length; at += chunk) {
        for (const response of framer.push(bytes.subarray(at, at + chunk))) {
          parseResponse(response);
          parsed++;
        }
      }
      return parsed;
    };
  };
}

function repeatLines(count: number, line: (i: number) => string): string {
  let out = '';
  for (let i = 0; i < count; i++) out += line(i);
  return out;
}

export const HOSTILE_INPUTS: HostileInput[] = [
  html('40,000-item lists', (f) => `<ul>${'<li>item</li>'.repeat(4000 * f)}</ul>`),
  html('<br> runs', (f) => `a${'<br>'.repeat(20_000 * f)}b`),
  html('unclosed <!--', (f) => `a${'<!--'.repeat(30_000 * f)}`),
  html('unclosed <script>', (f) => `a${'<script>'.repeat(15_000 * f)}`),
  html('deep nesting, 300 levels repeated', (f) => `${'<div>'.repeat(300)}x${'</div>'.repeat(300)}`.repeat(10 * f)),
  html('deep nesting past the cap', (f) => `${'<b>'.repeat(40_000 * f)}x`),
  parsing('one long folded header', (f) => message([`Subject: ${Array.from({ length: 1200 * f }, () => 'word '.repeat(14)).join('\r\n ')}`, 'From: a@contoso.test'], ['body'])),
  parsing('many headers', (f) => message(['From: a@contoso.test', ...Array.from({ length: 2000 * f }, (_, i) => `X-Header-${i}: value ${i}`)], ['body'])),
  parsing('MIME nested deep', (f) => nestedMime(100 * f)),
  parsing('MIME with many parts', (f) => manyParts(120 * f)),
  {
    // Each shape alone: an unterminated PEM block would hide what follows it from the other patterns.
    name: 'redactor: adversarial text',
    prepare: (f) => {
      const texts = ADVERSARIAL.map((piece) => piece.repeat(Math.ceil(128 * 1024 * f / piece.length)));
      const redactor = new Redactor();
      redactor.register('EwBwA8l6BAAUs5+HQn0N7h2FxWzLEUpPnd9Ug0ABAXvLzGhS');
      return () => texts.map((text) => redactor.redact(text));
    },
  },
  { name: 'IMAP parser: huge LIST', prepare: imapStream((f) => repeatLines(5000 * f, (i) => `* LIST (\\HasNoChildren) "/" "Projects/Folder ${i}"\r\n`)) },
  { name: 'IMAP parser: huge STATUS', prepare: imapStream((f) => repeatLines(5000 * f, (i) => `* STATUS "Projects/Folder ${i}" (MESSAGES ${i} UNSEEN 0)\r\n`)) },
  // Within the framer's 1 MiB response cap; small pieces, so a framer that copied its buffer per piece would show.
  { name: 'IMAP parser: huge FETCH literal', prepare: imapStream((f) => `* 1 FETCH (UID 7 BODY[] {${96 * 1024 * f}}\r\n${'x'.repeat(96 * 1024 * f)})\r\n`, 256) },
  {
    name: 'modified UTF-7 folder names',
    prepare: (f) => {
      const name = 'Überweisungen/Ärger & Co/日本語'.repeat(2000 * f);
      const encoded = encodeMailboxName(name);
      return () => decodeMailboxName(encodeMailboxName(decodeMailboxName(encoded)));
    },
  },
  {
    name: 'folder tree from many folders',
    prepare: (f) => {
      const listed: ListedFolder[] = Array.from({ length: 4000 * f }, (_, i) => ({
        path: `Inbox/Team ${i % 50}/Project ${i}`, delimiter: '/', flags: ['\\HasNoChildren'], total: i, unread: i % 7,
      }));
      return () => new FolderTree(listed);
    },
  },
];

/** A refusal counts like a result: mailparser refuses over 1,000 MIME nodes or a 1 MB header. */
async function timeOnce(work: () => unknown): Promise<number> {
  const start = performance.now();
  await Promise.resolve().then(work).catch(() => undefined);
  return performance.now() - start;
}

async function measure(input: HostileInput, runs: number): Promise<number[]> {
  const ms: number[] = [];
  for (const factor of FACTORS) {
    const work = input.prepare(factor);
    await timeOnce(work);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await timeOnce(work));
    ms.push(median(samples));
  }
  return ms;
}

export async function benchLinearTime({ runs }: { runs: number }): Promise<LinearTimeResult[]> {
  const results: LinearTimeResult[] = [];
  for (const input of HOSTILE_INPUTS) {
    const ms = await measure(input, runs);
    const ratios = Object.fromEntries(FACTORS.slice(1).map((factor, i) => [`${factor}x`, ms[i + 1]! / ms[0]!]));
    const ratio = ms[ms.length - 1]! / ms[0]!;
    results.push({
      name: `linear: ${input.name}`, unit: 'ms at 8x input', value: ms[ms.length - 1]!, baseline: ms[0]!, ratio,
      detail: { ratios, ms, ok: ratio <= MAX_RATIO_AT_8X },
    });
  }
  return results;
}
