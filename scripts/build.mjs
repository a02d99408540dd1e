// Bundles the extension with esbuild: `node scripts/build.mjs` for development (source maps),
// `--production` for the VSIX (minified, no source maps). Two bundles: dist/extension.js (what
// activation loads: wiring and UI) and dist/core.js (MSAL, IMAP, SMTP, POP3, parsing), which the
// first command that needs it loads through src/ui/core-loader.ts.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/setup.mjs';

/** Leaves `require('../core')` in the extension bundle, pointing at the core bundle beside it. */
const coreIsSeparate = {
  name: 'core-is-separate',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(\.\.\/)*core$/ }, () => ({ path: './core.js', external: true }));
  },
};

export async function bundle({ production }) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
  };
  await Promise.all([
    build({ ...common, entryPoints: [join(root, 'src', 'extension.ts')], outfile: join(root, 'dist', 'extension.js'), plugins: [coreIsSeparate] }),
    build({ ...common, entryPoints: [join(root, 'src', 'core.ts')], outfile: join(root, 'dist', 'core.js') }),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle({ production: process.argv.includes('--production') });
}
