/**
 * What the mailbox-action benchmarks (move, search, reply) share: their own sandbox (alice's
 * seeded mailbox, her 5,000-message `Notifications` folder included), a bare-protocol client
 * logged in on the Exchange front for the baselines, and the runs alternated between product
 * and baseline with each side's median reported as a ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xoauth2Response } from '../../src/mail/net/xoauth2';
import { ImapSession } from '../../src/mail/imap/session';
import { ALICE, cachedCredentials, ImapSandbox, imapSandbox, recordingLog } from '../integration/imap-sandbox';
import { ImapWireClient } from '../integration/imap-wire-client';
import { startSandbox } from '../sandbox';
import { median } from './activation';

/** What every run of `alternate` measures. */
export interface RunsMeasured {
  runs: number;
  /** The best runs too: on a busy machine they show the cost of the code, the medians that of the machine. */
  best: number;
  baselineBest: number;
  samples: number[];
  baselineSamples: number[];
}

export interface MailboxBenchResult {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
  /** `target`: the ratio the issue asks for; then what each benchmark adds. */
  detail: RunsMeasured & { target: number; [more: string]: unknown };
}

/** Starts a sandbox of the benchmark's own (seeded as for every layer), runs `use`, stops it. */
export async function withBenchSandbox<T>(name: string, use: (sandbox: ImapSandbox) => Promise<T>): Promise<T> {
  const stateDir = mkdtempSync(join(tmpdir(), `exchange-mail-bench-${name}-`));
  const box = await startSandbox({ stateDir });
  try {
    return await use(imapSandbox(box));
  } finally {
    await box.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The baseline's client: a TLS socket on the Exchange front, logged in as alice with one AUTHENTICATE line. */
export async function bareImap(sandbox: ImapSandbox): Promise<ImapWireClient & { run(command: string): Promise<string[]> }> {
  const client = await ImapWireClient.connect({ ...sandbox.servers.imap.exchange, ca: sandbox.ca });
  await client.line();
  const login = await client.command('a', `AUTHENTICATE XOAUTH2 ${xoauth2Response({ encrypted: true }, { user: ALICE, accessToken: sandbox.mintToken() })}`);
  if (!login.at(-1)!.startsWith('a OK')) throw new Error(`bare login refused: ${login.at(-1)}`);
  let tag = 0;
  /** One tagged command, its lines back; a NO or BAD is an error. */
  const run = async (command: string) => {
    const t = `b${++tag}`;
    const lines = await client.command(t, command);
    if (!lines.at(-1)!.startsWith(`${t} OK`)) throw new Error(`${command.slice(0, 60)}: ${lines.at(-1)}`);
    return lines;
  };
  return Object.assign(client, { run });
}

/**
 * What the product sends for `work`, from its protocol trace, on a session of its own with
 * `folder`'s page shown first (as in the view); long UID sets are shown as `<set>`.
 */
export async function commandsOf<T>(sandbox: ImapSandbox, folder: string, work: (session: ImapSession) => Promise<T>): Promise<{ commands: string[]; result: T }> {
  const log = recordingLog();
  const session = new ImapSession({ server: sandbox.server('exchange'), credentials: cachedCredentials(sandbox), log });
  try {
    await session.messagePage(folder);
    const from = log.commands().length;
    const result = await work(session);
    return { commands: log.commands().slice(from).map((c) => c.replace(/^(UID \w+) [\d,:]{40,}\S*( …\(\d+ chars\))?/, '$1 <set>')), result };
  } finally {
    await session.close();
  }
}

/** The UIDs of a UID set (`4501:4503,4510`), in order. */
export function uidsOfSet(set: string): number[] {
  return set.split(',').flatMap((part) => {
    const [from, to = from] = part.split(':').map(Number) as [number, number?];
    const [low, high] = from <= to! ? [from, to!] : [to!, from];
    return Array.from({ length: high - low + 1 }, (_, i) => low + i);
  });
}

/** Source UID → target UID from a MOVE's `[COPYUID validity source target]`. */
export function copyUids(lines: readonly string[]): Map<number, number> {
  const code = lines.map((l) => /\[COPYUID \d+ ([\d:,]+) ([\d:,]+)\]/.exec(l)).find(Boolean);
  if (!code) throw new Error(`no COPYUID in the MOVE reply: ${lines.at(-1)}`);
  const from = uidsOfSet(code[1]!);
  const to = uidsOfSet(code[2]!);
  return new Map(from.map((uid, i) => [uid, to[i]!]));
}

export type Measured = Pick<MailboxBenchResult, 'value' | 'baseline' | 'ratio'> & { detail: RunsMeasured };

/**
 * One warm-up of each, then `runs` rounds of both, the product first in every other round
 * (`reset` after each run, untimed, so every run starts from the same state); the medians and
 * their ratio.
 */
export async function alternate(runs: number, product: () => Promise<number>, baseline: () => Promise<number>,
  reset: () => Promise<void> = async () => undefined): Promise<Measured> {
  await product();
  await reset();
  await baseline();
  await reset();
  const samples: number[] = [];
  const baselineSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Either order in turn: what one run leaves behind (garbage, caches) weighs on both alike.
    for (const side of i % 2 ? ['baseline', 'product'] : ['product', 'baseline']) {
      if (side === 'product') samples.push(await product());
      else baselineSamples.push(await baseline());
      await reset();
    }
  }
  const value = median(samples);
  const base = median(baselineSamples);
  return {
    value, baseline: base, ratio: value / base,
    detail: { runs, best: Math.min(...samples), baselineBest: Math.min(...baselineSamples), samples, baselineSamples },
  };
}
