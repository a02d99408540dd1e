import type * as Core from '../core';

let core: typeof Core | undefined;

/**
 * Loads the core on first use. The bundler keeps `../core` out of dist/extension.js and points
 * this require at dist/core.js, so activation never pays for MSAL or the mail libraries.
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
