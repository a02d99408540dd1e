// `npm run bench`: benchmarks, each reported next to a baseline measured in the same run, as a ratio.
// Not part of `npm test`. Results are printed and written to bench-results/latest.json.
//   npm run bench [-- folders reopen send linear move search reply]   only the named benchmarks (activation always runs)
// `linear` grows hostile inputs 2x, 4x, 8x; over 12x time at 8x input prints FAIL and exits 1.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from './build.mjs';
import { ensureNodeModules, root } from './lib/setup.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

ensureNodeModules();
if (spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
await bundle({ production: true });
const { sampleActivation, median } = await import(join(root, 'out', 'test', 'bench', 'activation.js'));

async function emptyExtension() {
  const dir = mkdtempSync(join(tmpdir(), 'exchange-mail-bench-'));
  writeFileSync(join(dir, 'extension.ts'), 'export function activate(): void {}\nexport function deactivate(): void {}\n');
  await build({ entryPoints: [join(dir, 'extension.ts')], outfile: join(dir, 'extension.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], minify: true, logLevel: 'warning' });
  return join(dir, 'extension.js');
}

function measure(file) {
  const samples = Array.from({ length: RUNS }, () => sampleActivation(file));
  return { ms: median(samples.map((s) => s.ms)), loadedBytes: median(samples.map((s) => s.loadedBytes)), loadedFiles: median(samples.map((s) => s.loadedFiles)) };
}

const baselineFile = await emptyExtension();
// Interleave the two so machine noise hits both alike.
measure(baselineFile);
const product = measure(join(root, 'dist', 'extension.js'));
const baseline = measure(baselineFile);
const results = [{
  name: 'activation',
  unit: 'ms (median of ' + RUNS + ' fresh processes)',
  value: product.ms, baseline: baseline.ms, ratio: product.ms / baseline.ms,
  detail: { loadedBytes: product.loadedBytes, baselineLoadedBytes: baseline.loadedBytes, loadedFiles: product.loadedFiles },
}];
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
if (wanted('folders')) {
  const { benchFolderTree } = await import(join(root, 'out', 'test', 'bench', 'imap-folders.js'));
  results.push(...await benchFolderTree({ runs: Math.max(RUNS, 15) }));
}
if (wanted('reopen')) {
  const { benchReopenFromCache } = await import(join(root, 'out', 'test', 'bench', 'reopen-from-cache.js'));
  results.push(...await benchReopenFromCache({ runs: RUNS }));
}
if (wanted('send')) {
  const { benchSend } = await import(join(root, 'out', 'test', 'bench', 'send.js'));
  results.push(...await benchSend({ runs: RUNS }));
}
for (const [name, file, run] of [['move', 'move.js', 'benchMove'], ['search', 'search.js', 'benchSearch'], ['reply', 'reply.js', 'benchReply']]) {
  if (wanted(name)) results.push(...await (await import(join(root, 'out', 'test', 'bench', file)))[run]({ runs: Math.max(RUNS, 15) }));
}
if (wanted('linear')) {
  const { benchLinearTime } = await import(join(root, 'out', 'test', 'bench', 'linear-time.js'));
  results.push(...await benchLinearTime({ runs: Math.min(RUNS, 5) }));
}
for (const r of results) {
  if (r.name.startsWith('linear: ')) {
    const steps = Object.entries(r.detail.ratios).map(([factor, ratio]) => `${factor} ${ratio.toFixed(1)}x`).join(', ');
    console.log(`${r.detail.ok ? 'ok  ' : 'FAIL'} ${r.name}: time ${steps} (${r.baseline.toFixed(1)} ms at 1x, ${r.value.toFixed(1)} ms at 8x)`);
  } else {
    const target = r.detail?.target ? ` (target ≤${r.detail.target}x: ${r.ratio <= r.detail.target ? 'met' : 'MISSED'})` : '';
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit} vs baseline ${r.baseline.toFixed(2)} → ratio ${r.ratio.toFixed(2)}x${target}  ${JSON.stringify(r.detail)}`);
  }
}
const failed = results.filter((r) => r.name.startsWith('linear: ') && r.detail?.ok === false);
const reopen = results.find((r) => r.name.startsWith('reopen-from-cache') && !r.detail.ok);
if (reopen) {
  console.log(`FAIL: ${reopen.name}: ${reopen.detail.sameRow ? '' : 'the cached first row differs from the server\'s; '}${reopen.detail.beforeServer ? '' : 'the cached row did not come before the server\'s tree'}`);
  process.exitCode = 1;
}
if (failed.length) {
  console.log(`FAIL: ${failed.length} input(s) grew faster than linear (8x input over 12x time): ${failed.map((r) => r.name.slice(8)).join('; ')}`);
  process.exitCode = 1;
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'latest.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
