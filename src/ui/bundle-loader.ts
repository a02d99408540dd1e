import type * as Core from '../core';
import type * as Features from '../features';

let core: typeof Core | undefined;
let features: typeof Features | undefined;

/**
 * Loads the core (MSAL, IMAP, SMTP, POP3, parsing) on first use. The bundler keeps `../core` out
 * of the other bundles and points this require at dist/core.js beside them.
 */
export function loadCore(): typeof Core {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load is the point
  core ??= require('../core') as typeof Core;
  return core;
}

/** The core if a command has loaded it, without loading it (for deactivation). */
export function loadedCore(): typeof Core | undefined {
  return core;
}

/**
 * Loads the UI's features (commands, the Mailboxes view's tree, message tabs, the status bar) on
 * first use: dist/features.js, as `../core` is dist/core.js. Activation only registers names.
 */
export function loadFeatures(): typeof Features {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load is the point
  features ??= require('../features') as typeof Features;
  return features;
}
