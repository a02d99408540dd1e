// Bundles the extension with esbuild: `node scripts/build.mjs` for development (source maps),
// `--production` for the VSIX (minified, no source maps). Four bundles: dist/extension.js (what
// activation loads: the log, the view and each command's name), dist/features.js (the UI's
// features: commands, the view's tree, message tabs, the status bar), which the first command or
// the view's first render loads, dist/core.js (MSAL, IMAP, SMTP, POP3, parsing), which the first
// use that needs it loads (both through src/ui/bundle-loader.ts), and dist/body-worker.js, the
// thread that renders the HTML part of Markdown messages (src/mail/compose/body-renderer.ts starts it).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/setup.mjs';

/** Leaves `require('../core')` and `require('../features')` in a bundle, pointing at the bundle of that name beside it. */
const lazyBundles = {
  name: 'lazy-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(\.\.\/)*(core|features)$/ }, (args) => ({ path: `./${args.path.split('/').pop()}.js`, external: true }));
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
    build({ ...common, entryPoints: [join(root, 'src', 'extension.ts')], outfile: join(root, 'dist', 'extension.js'), plugins: [lazyBundles] }),
    build({ ...common, entryPoints: [join(root, 'src', 'features.ts')], outfile: join(root, 'dist', 'features.js'), plugins: [lazyBundles] }),
    build({ ...common, entryPoints: [join(root, 'src', 'core.ts')], outfile: join(root, 'dist', 'core.js') }),
    build({ ...common, entryPoints: [join(root, 'src', 'mail', 'compose', 'body-worker.ts')], outfile: join(root, 'dist', 'body-worker.js') }),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle({ production: process.argv.includes('--production') });
}
