// `npm run package`: the production bundle, then exchange-mail-<version>.vsix with @vscode/vsce.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './build.mjs';
import { ensureNodeModules, root } from './lib/setup.mjs';

export async function packageVsix() {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = join(root, `${name}-${version}.vsix`);
  await bundle({ production: true });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vsce package failed (exit code ${result.status})`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureNodeModules();
  console.log(await packageVsix());
}
