/**
 * Activation cost: what `activate()` costs in time and in code loaded, for the real bundle and
 * for an empty extension bundled the same way (the baseline), in the same run.
 * Each sample runs in a fresh Node process so nothing is cached between samples. The `vscode`
 * module is stood in by the smallest object activate() touches: this measures the extension's
 * own cost, not VS Code's.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface ActivationSample {
  ms: number;
  loadedBytes: number;
  loadedFiles: number;
}

const PROBE = String.raw`
const Module = require('node:module');
const fs = require('node:fs');
const noop = () => ({ dispose() {} });
const channel = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, show() {}, dispose() {}, appendLine() {} };
const vscodeStandIn = new Proxy({
  window: { createOutputChannel: () => channel, registerTreeDataProvider: noop, createTreeView: () => ({ dispose() {}, onDidChangeVisibility: noop }), createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }), registerFileDecorationProvider: noop },
  commands: { registerCommand: noop },
  workspace: { getConfiguration: () => ({ get: (_k, d) => d }), onDidChangeConfiguration: noop, registerTextDocumentContentProvider: noop },
  StatusBarAlignment: { Left: 1, Right: 2 },
  authentication: { onDidChangeSessions: noop },
  EventEmitter: class { constructor() { this.event = noop; } fire() {} dispose() {} },
}, { get: (t, k) => (k in t ? t[k] : noop) });
const load = Module._load;
Module._load = function (request, parent, isMain) { return request === 'vscode' ? vscodeStandIn : load.call(this, request, parent, isMain); };
const before = new Set(Object.keys(require.cache));
const context = { subscriptions: [], extension: { packageJSON: { version: '0' } }, secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: noop }, globalState: { get: () => undefined, update: async () => {} } };
const start = process.hrtime.bigint();
const ext = require(process.argv[1]);
const result = ext.activate(context);
Promise.resolve(result).then(() => {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const loaded = Object.keys(require.cache).filter((f) => !before.has(f));
  const loadedBytes = loaded.reduce((n, f) => n + fs.statSync(f).size, 0);
  process.stdout.write(JSON.stringify({ ms, loadedBytes, loadedFiles: loaded.length }));
});
`;

export function sampleActivation(bundle: string): ActivationSample {
  return JSON.parse(execFileSync(process.execPath, ['-e', PROBE, join(bundle)], { encoding: 'utf8' })) as ActivationSample;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
