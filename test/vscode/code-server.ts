/**
 * A real VS Code for the tests: code-server (VS Code 1.100 served to a browser) in a fresh
 * profile, and Debian's Chromium driven by playwright-core to open its workbench.
 * `npm test` installs code-server and passes its entry point in CODE_SERVER_ENTRY.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';
import { eventually } from '../eventually';
import { freePort, spawnGroup, stopGroup } from '../processes';

export interface CodeServerOptions {
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /** VSIX files installed into the fresh extensions folder before start. */
  vsixFiles?: string[];
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** A fixed port; a free one when absent. */
  port?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'window.dialogStyle': 'custom',
  'workbench.colorTheme': 'Default Dark Modern',
};

export function codeServerEntry(): string {
  const entry = process.env.CODE_SERVER_ENTRY;
  if (!entry) throw new Error('CODE_SERVER_ENTRY is not set: run the tests through `npm test`, which installs code-server');
  return entry;
}

function commonArgs(userDataDir: string, extensionsDir: string): string[] {
  return ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check'];
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = codeServerEntry();
  const home = mkdtempSync(join(tmpdir(), 'exchange-mail-code-server-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  for (const vsix of options.vsixFiles ?? []) {
    await promisify(execFile)(process.execPath, [entry, ...commonArgs(userDataDir, extensionsDir), '--install-extension', vsix]);
  }
  const port = options.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawnGroup(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--config', '/dev/null', ...commonArgs(userDataDir, extensionsDir), '--disable-workspace-trust', '--disable-getting-started-override'], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  await eventually('code-server to answer /healthz', async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 60_000, intervalMs: 200 });
  return {
    url, port, userDataDir, extensionsDir,
    async stop() {
      await stopGroup(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Folder opened in the window (created when missing). */
  folder: string;
  /** Extension development and test paths, as the web workbench takes them. */
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  /** Called with the test suite's exit code when an extension test run ends. */
  onExit?: (code: number) => void;
}

/** Opens the workbench of `server` in a fresh headless Chromium (playwright gives it a new, temporary profile). */
export async function openWorkbench(server: CodeServer, options: WorkbenchOptions): Promise<Workbench> {
  mkdirSync(options.folder, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  if (options.onExit) await page.exposeFunction('codeAutomationExit', options.onExit);
  const payload: string[][] = [];
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: options.folder });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  await page.goto(`${server.url}/?${query.toString()}`);
  return {
    browser, page,
    async close() {
      await browser.close();
    },
  };
}
