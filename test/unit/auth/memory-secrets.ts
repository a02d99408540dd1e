/** An in-memory SecretStorage for tests: what VS Code's `context.secrets` does, events included. */
import type { Disposable, SecretStore } from '../../../src/auth/ports';

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  private listeners = new Set<(key: string) => void>();
  writes = 0;
  reads = 0;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.writes++;
    this.values.set(key, value);
    this.fire(key);
  }

  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) this.fire(key);
  }

  onDidChange(listener: (key: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Another window wrote this secret (same storage, same event). */
  storeFromOtherWindow(key: string, value: string): void {
    this.values.set(key, value);
    this.fire(key);
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  private fire(key: string): void {
    for (const listener of this.listeners) listener(key);
  }
}
