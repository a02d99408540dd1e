import type { Sandbox } from '../sandbox';

let current: Sandbox | undefined;

export function setSandbox(sandbox: Sandbox): void {
  current = sandbox;
}

export function takeSandbox(): Sandbox | undefined {
  const sandbox = current;
  current = undefined;
  return sandbox;
}

/** The layer's running sandbox (see ./hooks). */
export function sandbox(): Sandbox {
  if (!current) throw new Error('the integration sandbox is not running: run this layer with `npm test -- integration`');
  return current;
}
