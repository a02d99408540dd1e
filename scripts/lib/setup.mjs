// Installs what the project's commands need when it is missing, so that a fresh machine needs
// nothing by hand: Debian packages (as root), the npm dependencies, and code-server (a real
// VS Code 1.100) in a cache folder outside node_modules, reused on the next run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = join(root, '.vscode-test');

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function debianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

let aptUpdated = false;

/** Installs the Debian packages that are missing; outside root, says which to install. */
export function ensureDebianPackages(packages, why) {
  const missing = packages.filter((p) => !debianPackageInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${why} needs the Debian packages ${missing.join(', ')}. Install them with: sudo apt-get install ${missing.join(' ')}`);
  }
  log(`installing Debian packages for ${why}: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (missing.includes('postfix')) {
    execFileSync('debconf-set-selections', { input: 'postfix postfix/main_mailer_type select No configuration\n' });
  }
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8').length > 0 && !isNewer(lock, marker)) return;
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
}

function isNewer(a, b) {
  return execFileSync('find', [a, '-newer', b], { encoding: 'utf8' }).trim() !== '';
}

export function codeServerBinary() {
  return join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/**
 * code-server from npm, into .vscode-test/ the way @vscode/test-electron caches VS Code.
 * Its install needs libkrb5-dev (native kerberos module) and a ripgrep binary that its
 * postinstall would otherwise download from GitHub: Debian's ripgrep is put where it looks first.
 */
export function ensureCodeServer() {
  const entry = codeServerBinary();
  if (existsSync(entry)) return entry;
  ensureDebianPackages(['libkrb5-dev', 'ripgrep', 'build-essential', 'pkg-config', 'python3'], 'installing code-server');
  const rgCache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const rgTarball = join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(rgTarball)) {
    const staging = join(rgCache, 'staging');
    mkdirSync(staging, { recursive: true });
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    run('tar', ['-czf', rgTarball, '-C', staging, 'rg']);
    rmSync(staging, { recursive: true, force: true });
  }
  const prefix = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  log(`installing code-server ${CODE_SERVER_VERSION} into ${prefix} (about 2 minutes, once)`);
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: prefix,
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  return entry;
}

/** Debian's Chromium, driven by playwright-core in the UI layer. */
export function ensureChromium() {
  if (!hasCommand('chromium')) ensureDebianPackages(['chromium'], 'the UI tests');
  return '/usr/bin/chromium';
}
