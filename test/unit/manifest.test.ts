import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = sourceFiles(join(root, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');

describe('The extension manifest', () => {
  it('declares only commands the code registers', () => {
    const declared: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    const unregistered = declared.filter((id) => !sources.includes(`'${id}'`));
    assert.deepEqual(unregistered, []);
  });

  it('links only to declared commands from its welcome content', () => {
    const declared = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const linked = manifest.contributes.viewsWelcome
      .flatMap((w: { contents: string }) => [...w.contents.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
    assert.ok(linked.length > 0, 'the welcome content offers no action');
    assert.deepEqual(linked.filter((id: string) => !declared.has(id)), []);
  });

  it('activates on its view or a command only, never at start-up', () => {
    const events: string[] = manifest.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
  });

  it('lets no workspace change a setting: each is user-only (application or machine scope)', () => {
    // Every setting so far decides where tokens go or what is sent. One a workspace may safely
    // set (a view option, say) would be listed here, by name, with why.
    const workspaceMaySet = new Set<string>();
    const properties = Object.entries(manifest.contributes.configuration.properties) as [string, { scope?: string }][];
    const open = properties
      .filter(([name, schema]) => !workspaceMaySet.has(name) && !['application', 'machine'].includes(schema.scope ?? ''))
      .map(([name]) => name);
    assert.ok(properties.length > 0 && properties.every(([name]) => name.startsWith('exchangeMail.')));
    assert.deepEqual(open, []);
  });

  it('targets VS Code 1.100 with matching API typings, so code-server 4.100 can run it', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
  });

  it('uses a theme-aware icon for its activity-bar container', () => {
    const container = manifest.contributes.viewsContainers.activitybar[0];
    const svg = readFileSync(join(root, container.icon), 'utf8');
    assert.match(svg, /currentColor/, 'the icon must take the theme colour, not a fixed one');
  });
});
