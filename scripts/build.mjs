// Bundles the extension with esbuild: `node scripts/build.mjs` for development (source maps),
// `--production` for the VSIX (minified, no source maps). Three bundles: dist/extension.js (what
// activation loads: wiring and UI), dist/core.js (MSAL, IMAP, SMTP, POP3, parsing), which the
// first command that needs it loads through src/ui/core-loader.ts, and dist/body-worker.js, the
// thread that encodes message bodies and renders Markdown (src/mail/compose/body-encoder.ts starts it).
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
    build({ ...common, entryPoints: [join(root, 'src', 'mail', 'compose', 'body-worker.ts')], outfile: join(root, 'dist', 'body-worker.js') }),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle({ production: process.argv.includes('--production') });
}
