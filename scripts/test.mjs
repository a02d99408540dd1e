// `npm test`: every test layer, in order, on a fresh machine as on a used one.
//   node scripts/test.mjs [layer ...]   layers: unit integration extension-host ui
// Installs what is missing (npm packages, Debian packages as root, code-server), compiles,
// bundles, lints, then runs each layer; each prints `<layer>: N passed, N failed`. Fails if any
// layer fails or runs no test. `unit` alone is the fast loop: compile and the unit layer only
// (its bundle tests bundle for themselves).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureChromium, ensureCodeServer, ensureNodeModules, root } from './lib/setup.mjs';

const ALL_LAYERS = ['unit', 'integration', 'extension-host', 'ui'];
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((l) => !ALL_LAYERS.includes(l));
if (unknown.length) {
  console.error(`unknown test layer ${unknown.join(', ')}; the layers are ${ALL_LAYERS.join(', ')}`);
  process.exit(2);
}
const layers = requested.length ? requested : ALL_LAYERS;

function step(title, command, args, options = {}) {
  process.stderr.write(`[test] ${title}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[test] ${title} failed`);
    process.exit(1);
  }
}

/** Runs a layer in a child process, streaming its output; passes when it exits 0 and its line shows passed > 0, failed 0. */
function runLayer(layer, command, args, env = {}) {
  process.stderr.write(`\n[test] layer ${layer}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LAYER: layer, ...env } });
    let last = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      last = (last + chunk.toString()).slice(-4000);
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const match = [...last.matchAll(new RegExp(`^${layer}: (\\d+) passed, (\\d+) failed$`, 'gm'))].pop();
      const passed = match ? Number(match[1]) : 0;
      const failed = match ? Number(match[2]) : 0;
      resolve({ layer, ok: code === 0 && passed > 0 && failed === 0 });
    });
  });
}

function mocha(layer, files, extra = []) {
  const bin = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  return [process.execPath, [bin, '--reporter', join(root, 'scripts', 'lib', 'layer-reporter.cjs'), '--timeout', '60000', ...extra, ...files]];
}

ensureNodeModules();
const fastLoop = layers.length === 1 && layers[0] === 'unit';
step('compile (tsc)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
if (!fastLoop) {
  step('bundle (esbuild)', process.execPath, [join(root, 'scripts', 'build.mjs')]);
  step('check src/ without the tests\' types (tsc -p src)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'src']);
  step('lint (eslint)', process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);
}

const results = [];
for (const layer of layers) {
  if (layer === 'unit') {
    results.push(await runLayer(layer, ...mocha(layer, ['out/test/unit/**/*.test.js'])));
  } else if (layer === 'integration') {
    results.push(await runLayer(layer, ...mocha(layer, ['out/test/integration/**/*.test.js'], ['--require', 'out/test/integration/hooks.js'])));
  } else if (layer === 'extension-host') {
    const env = { CODE_SERVER_ENTRY: ensureCodeServer(), CHROMIUM_PATH: ensureChromium() };
    results.push(await runLayer(layer, process.execPath, [join(root, 'out', 'test', 'vscode', 'run-extension-host.js')], env));
  } else if (layer === 'ui') {
    const env = { CODE_SERVER_ENTRY: ensureCodeServer(), CHROMIUM_PATH: ensureChromium() };
    const { packageVsix } = await import('./package.mjs');
    env.EXCHANGE_MAIL_VSIX = await packageVsix();
    results.push(await runLayer(layer, ...mocha(layer, ['out/test/ui/**/*.test.js'], ['--timeout', '180000']), env));
  }
}

const failedLayers = results.filter((r) => !r.ok).map((r) => r.layer);
process.stderr.write(`\n[test] ${failedLayers.length ? `FAILED layers: ${failedLayers.join(', ')}` : `all ${results.length} layers passed`}\n`);
process.exit(failedLayers.length ? 1 : 0);
