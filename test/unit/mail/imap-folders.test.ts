import * as assert from 'node:assert/strict';
import { FolderLister } from '../../../src/mail/imap/folder-listing';
import { FolderTree, ListedFolder } from '../../../src/mail/imap/folder-model';
import {
  data, DOVECOT_LIST_STATUS, EXCHANGE_LIST, EXCHANGE_NAMES_ONLY_LIST, ok, ScriptedWire, statusReplies, throttled,
} from './imap-replies';

const COUNTS: Record<string, [number, number]> = { INBOX: [30, 7], 'Sent Items': [3, 0], 'Projects/2026/Q4': [3, 1], 'Gr&APwA3w-e': [2, 2] };

function exchangeWire(): ScriptedWire {
  return new ScriptedWire(['IMAP4rev1', 'IDLE', 'LITERAL+'], (commands, burst) =>
    burst === 0 ? { data: data(EXCHANGE_LIST), completions: [ok()] } : statusReplies(commands, COUNTS));
}

async function exchangeTree(): Promise<FolderTree> {
  return new FolderTree(await new FolderLister(exchangeWire()).list());
}

function listed(lines: string[]): ListedFolder[] {
  return data(lines).map((reply) => {
    const [flags, delimiter, name] = reply.args as [string[], string, string];
    return { path: name, delimiter, flags };
  });
}

describe('IMAP folder tree', () => {
  it('nests folders by the server delimiter: Projects/2026/Q4 under Projects/2026 under Projects', async () => {
    const tree = await exchangeTree();
    const projects = tree.roots.find((f) => f.path === 'Projects')!;
    assert.equal(projects.children[0]!.path, 'Projects/2026');
    assert.deepEqual(projects.children[0]!.children.map((f) => [f.name, f.path]), [['Q4', 'Projects/2026/Q4']]);
  });

  it('puts Inbox first, then the special folders in Outlook order, then the rest by name', async () => {
    const tree = await exchangeTree();
    assert.deepEqual(tree.roots.map((f) => f.name),
      ['Inbox', 'Drafts', 'Sent Items', 'Deleted Items', 'Archive', 'Junk Email', 'Outbox', 'Clients', 'Conversation History', 'Grüße', 'Notifications', 'Projects']);
  });

  it('reads special use from the attributes Exchange sends in plain LIST', async () => {
    const tree = await exchangeTree();
    assert.deepEqual([tree.get('Sent Items')?.specialUse, tree.get('Sent Items')?.specialUseSource], ['sent', 'flag']);
    assert.equal(tree.special('trash')?.path, 'Deleted Items');
  });

  it('knows the well-known names in any case, at the top level only', () => {
    const tree = new FolderTree(listed(EXCHANGE_NAMES_ONLY_LIST));
    assert.deepEqual(
      ['INBOX', 'SENT ITEMS', 'deleted items', 'Junk Email', 'Drafts', 'archive', 'Projects/Archive', 'Zebra'].map((p) => tree.get(p)?.specialUse),
      ['inbox', 'sent', 'trash', 'junk', 'drafts', 'archive', undefined, undefined]);
    assert.equal(tree.special('sent')?.path, 'SENT ITEMS');
    assert.deepEqual(tree.roots.map((f) => f.name).slice(-3), ['alpha', 'Projects', 'Zebra']);
  });

  it('nests Exchange\'s mixed-case Inbox/Team under the one Inbox, found by any case', () => {
    const tree = new FolderTree(listed([
      '* LIST (\\Marked \\HasChildren) "/" Inbox',
      '* LIST (\\HasChildren) "/" Inbox/Team',
      '* LIST (\\HasNoChildren) "/" Inbox/Team/Alerts',
      '* LIST (\\HasNoChildren \\Trash) "/" "Deleted Items"',
    ]));
    assert.deepEqual(tree.roots.map((f) => [f.path, f.children.map((c) => c.path)]), [['INBOX', ['Inbox/Team']], ['Deleted Items', []]]);
    assert.deepEqual(['inbox', 'INBOX/Team', 'inbox/Team/Alerts'].map((p) => tree.get(p)?.name), ['Inbox', 'Team', 'Alerts']);
    assert.equal(tree.all().length, 4);
  });

  it('nests a sub-folder of INBOX the server lists before INBOX itself, and makes up no second Inbox', () => {
    const tree = new FolderTree(listed(['* LIST (\\HasNoChildren) "/" INBOX/Team', '* LIST (\\HasChildren) "/" Inbox']));
    assert.deepEqual(tree.roots.map((f) => [f.path, f.openable, f.children.map((c) => c.name)]), [['INBOX', true, ['Team']]]);
  });

  it('marks \\Noselect folders as not openable and gives them no counts', async () => {
    const tree = await exchangeTree();
    const clients = tree.get('Clients')!;
    assert.deepEqual([clients.openable, clients.unread, clients.children.length], [false, undefined, 2]);
  });

  it('makes up a parent the server did not list, as hierarchy only', () => {
    const tree = new FolderTree(listed(['* LIST (\\HasNoChildren) "/" "Lost/Child"']));
    assert.deepEqual([tree.roots[0]?.path, tree.roots[0]?.openable, tree.roots[0]?.children[0]?.name], ['Lost', false, 'Child']);
  });

  it('decodes modified UTF-7 names and counts them under their wire name', async () => {
    const tree = await exchangeTree();
    assert.deepEqual([tree.get('Grüße')?.unread, tree.get('Grüße')?.total], [2, 2]);
  });

  it('without LIST-STATUS sends one LIST, then every STATUS in a single burst, none for \\Noselect', async () => {
    const wire = exchangeWire();
    const tree = new FolderTree(await new FolderLister(wire).list());
    assert.equal(wire.bursts.length, 2);
    assert.equal(wire.bursts[1]!.length, EXCHANGE_LIST.length - 1);
    assert.ok(!wire.bursts[1]!.some((c) => c.includes('"Clients"')));
    assert.deepEqual([tree.get('INBOX')?.unread, tree.get('Projects/2026/Q4')?.unread], [7, 1]);
  });

  it('with LIST-STATUS costs one round trip and reads literal names', async () => {
    const wire = new ScriptedWire(['LIST-STATUS', 'SPECIAL-USE'], () => ({ data: data(DOVECOT_LIST_STATUS), completions: [ok()] }));
    const tree = new FolderTree(await new FolderLister(wire).list());
    assert.deepEqual(wire.bursts, [['LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))']]);
    assert.deepEqual([tree.get('INBOX')?.unread, tree.get('Clients/Northwind Traders')?.total], [7, 1]);
  });

  it('sends a throttled STATUS again after the suggested back-off instead of losing the count', async () => {
    const waits: number[] = [];
    const wire = new ScriptedWire([], (commands, burst) => {
      if (burst === 0) return { data: data(['* LIST () "/" INBOX', '* LIST () "/" Archive']), completions: [ok()] };
      const reply = statusReplies(commands, { INBOX: [30, 7], Archive: [3, 1] });
      if (burst === 1) {
        reply.data = reply.data.slice(0, 1);
        reply.completions[1] = throttled(250);
      }
      return reply;
    });
    const tree = new FolderTree(await new FolderLister(wire, { sleep: async (ms) => { waits.push(ms); } }).list());
    assert.deepEqual([waits, wire.bursts[2], tree.get('Archive')?.unread], [[250], ['STATUS "Archive" (MESSAGES UNSEEN)'], 1]);
  });

  it('says why a folder has no counts when STATUS keeps failing', async () => {
    const wire = new ScriptedWire([], (commands, burst) => burst === 0
      ? { data: data(['* LIST () "/" Gone']), completions: [ok()] }
      : { data: [], completions: commands.map(() => ({ kind: 'status' as const, tag: 'x', status: 'NO' as const, text: 'Mailbox does not exist' })) });
    const tree = new FolderTree(await new FolderLister(wire).list());
    assert.deepEqual([tree.get('Gone')?.unread, tree.get('Gone')?.countsError], [undefined, 'NO Mailbox does not exist']);
  });
});
