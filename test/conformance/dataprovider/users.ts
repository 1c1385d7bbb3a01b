/** The UserStore part of the DataProvider conformance suite. */
import assert from 'node:assert/strict';
import { ErrorKind } from '../../../src/util/errors.js';
import { collect, fullFolder, fullUser, kindOf, pick, providerTest, type ProviderFactory } from './harness.js';

const page = { limit: 100, offset: 0, order: 'ASC' as const };

/** Registers the user store tests. */
export function userTests(name: string, make: ProviderFactory): void {
  const t = (title: string, fn: Parameters<typeof providerTest>[3]) => providerTest(name, `users: ${title}`, make, fn);

  t('add stores every field and assigns an id; get returns the same', async ({ provider }) => {
    const input = fullUser('alice');
    const saved = await provider.users.add(input);
    assert.ok(Number.isInteger(saved.id) && saved.id! > 0);
    assert.deepEqual(pick(saved, input), input);
    assert.deepEqual(await provider.users.get('alice'), saved);
    assert.deepEqual(pick(saved, { used_quota_size: 0, used_quota_files: 0, last_login: 0 }), { used_quota_size: 0, used_quota_files: 0, last_login: 0 });
  });

  t('add keeps used quota and last login given by a restore', async ({ provider }) => {
    const saved = await provider.users.add(fullUser('r', { used_quota_size: 77, used_quota_files: 7, last_quota_update: 5, last_login: 9 }));
    assert.deepEqual(pick(saved, { used_quota_size: 0, used_quota_files: 0, last_quota_update: 0, last_login: 0 }),
      { used_quota_size: 77, used_quota_files: 7, last_quota_update: 5, last_login: 9 });
  });

  t('duplicate username is Exists; unknown username is NotFound everywhere', async ({ provider }) => {
    await provider.users.add(fullUser('alice'));
    assert.equal(await kindOf(provider.users.add(fullUser('alice'))), ErrorKind.Exists);
    for (const op of [() => provider.users.get('nobody'), () => provider.users.update(fullUser('nobody')), () => provider.users.delete('nobody'),
      () => provider.users.updateQuota('nobody', 1, 1, false), () => provider.users.getUsedQuota('nobody'), () => provider.users.updateLastLogin('nobody', 1)]) {
      assert.equal(await kindOf(op()), ErrorKind.NotFound, op.toString());
    }
  });

  t('returned records are copies: changing them changes nothing stored', async ({ provider }) => {
    const saved = await provider.users.add(fullUser('alice'));
    saved.permissions['/'] = ['*'];
    saved.filters!.allowed_ip!.push('0.0.0.0/0');
    const again = await provider.users.get('alice');
    again.home_dir = '/elsewhere';
    assert.deepEqual((await provider.users.get('alice')).permissions['/'], ['list', 'download']);
    assert.deepEqual((await provider.users.get('alice')).filters!.allowed_ip, ['192.0.2.0/24']);
    assert.equal((await provider.users.get('alice')).home_dir, '/srv/sftpgo/alice');
  });

  t('update replaces fields but keeps id, used quota, last quota update and last login', async ({ provider }) => {
    const saved = await provider.users.add(fullUser('alice'));
    await provider.users.updateQuota('alice', 100, 3, true);
    await provider.users.updateLastLogin('alice', 1234);
    const before = await provider.users.get('alice');
    const changed = fullUser('alice', {
      home_dir: '/new/home', status: 0, description: 'changed', permissions: { '/': ['*'] }, quota_size: 5,
      filters: { denied_protocols: ['DAV'] }, filesystem: { provider: 0 }, public_keys: [], password: '$6$salt$hash',
      used_quota_size: 999, used_quota_files: 999, last_login: 1, last_quota_update: 1,
    });
    const updated = await provider.users.update(changed);
    assert.equal(updated.id, saved.id);
    assert.deepEqual(pick(updated, { home_dir: '', status: 1, description: '', permissions: {}, quota_size: 0, password: '' }),
      { home_dir: '/new/home', status: 0, description: 'changed', permissions: { '/': ['*'] }, quota_size: 5, password: '$6$salt$hash' });
    assert.deepEqual(updated.filters?.denied_protocols, ['DAV']);
    assert.equal(updated.filesystem?.provider, 0);
    assert.deepEqual(pick(updated, { used_quota_size: 0, used_quota_files: 0, last_login: 0, last_quota_update: 0 }),
      pick(before, { used_quota_size: 0, used_quota_files: 0, last_login: 0, last_quota_update: 0 }));
  });

  t('delete removes the user; count follows', async ({ provider }) => {
    await provider.users.add(fullUser('a'));
    await provider.users.add(fullUser('b'));
    assert.equal(await provider.users.count(), 2);
    await provider.users.delete('a');
    assert.equal(await provider.users.count(), 1);
    assert.equal(await kindOf(provider.users.get('a')), ErrorKind.NotFound);
  });

  t('list orders by username, ASC and DESC, with limit and offset; iterate streams every user', async ({ provider }) => {
    for (const n of ['delta', 'alpha', 'echo', 'charlie', 'bravo']) await provider.users.add(fullUser(n));
    const names = (us: { username: string }[]) => us.map((u) => u.username);
    assert.deepEqual(names(await provider.users.list(page)), ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    assert.deepEqual(names(await provider.users.list({ ...page, order: 'DESC', limit: 2 })), ['echo', 'delta']);
    assert.deepEqual(names(await provider.users.list({ ...page, offset: 3 })), ['delta', 'echo']);
    assert.deepEqual(names(await provider.users.list({ ...page, offset: 10 })), []);
    assert.deepEqual(names(await collect(provider.users.iterate(2))), ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  t('order is binary (byte order, as SQLite and SFTPGo sort): upper case first', async ({ provider }) => {
    for (const n of ['zed', 'Bob', 'alice', 'Zoe']) await provider.users.add(fullUser(n));
    assert.deepEqual((await provider.users.list(page)).map((u) => u.username), ['Bob', 'Zoe', 'alice', 'zed']);
  });

  t('updateQuota adds deltas or resets, sets last_quota_update; getUsedQuota reads it', async ({ provider }) => {
    await provider.users.add(fullUser('alice'));
    const start = Date.now();
    await provider.users.updateQuota('alice', 100, 2, false);
    await provider.users.updateQuota('alice', -40, -1, false);
    assert.deepEqual(await provider.users.getUsedQuota('alice'), { usedSize: 60, usedFiles: 1 });
    await provider.users.updateQuota('alice', 7, 3, true);
    assert.deepEqual(await provider.users.getUsedQuota('alice'), { usedSize: 7, usedFiles: 3 });
    assert.ok((await provider.users.get('alice')).last_quota_update! >= start);
    await provider.users.updateLastLogin('alice', 4242);
    assert.equal((await provider.users.get('alice')).last_login, 4242);
  });

  t('virtual folders: mapping needs an existing folder; base and mapping fields come back in insertion order', async ({ provider }) => {
    assert.equal(await kindOf(provider.users.add(fullUser('alice', { virtual_folders: [{ name: 'missing', virtual_path: '/m' }] }))), ErrorKind.NotFound);
    assert.equal(await kindOf(provider.users.get('alice')), ErrorKind.NotFound, 'a failed add leaves nothing behind');
    await provider.folders.add(fullFolder('zeta'));
    await provider.folders.add(fullFolder('alpha'));
    const saved = await provider.users.add(fullUser('alice', { virtual_folders: [
      { name: 'zeta', virtual_path: '/z', quota_size: -1, quota_files: -1 },
      { name: 'alpha', virtual_path: '/a/b', quota_size: 1024, quota_files: 10 },
    ] }));
    const vfs = saved.virtual_folders!;
    assert.deepEqual(vfs.map((f) => [f.name, f.virtual_path, f.quota_size, f.quota_files]), [['zeta', '/z', -1, -1], ['alpha', '/a/b', 1024, 10]]);
    const base = fullFolder('zeta');
    assert.deepEqual(pick(vfs[0]!, { mapped_path: '', description: '', used_quota_size: 0, used_quota_files: 0, filesystem: base.filesystem }),
      pick(base, { mapped_path: '', description: '', used_quota_size: 0, used_quota_files: 0, filesystem: base.filesystem }));
    assert.ok(Number.isInteger(vfs[0]!.id));
    assert.deepEqual((await provider.folders.get('zeta')).users, ['alice']);
  });

  t('reads never see the rows of a write that is rolled back', async ({ provider }) => {
    let settled = false;
    const add = kindOf(provider.users.add(fullUser('ghost', { virtual_folders: [{ name: 'missing', virtual_path: '/m' }] })))
      .finally(() => { settled = true; });
    const seen = new Set<string>();
    while (!settled) seen.add(await kindOf(provider.users.get('ghost')));
    assert.equal(await add, ErrorKind.NotFound);
    assert.deepEqual([...seen].filter((k) => k !== ErrorKind.NotFound), []);
  });

  t('virtual folders: update replaces the mappings; deleting a user or a folder removes its mappings', async ({ provider }) => {
    await provider.folders.add(fullFolder('f1'));
    await provider.folders.add(fullFolder('f2'));
    await provider.users.add(fullUser('alice', { virtual_folders: [{ name: 'f1', virtual_path: '/one' }] }));
    await provider.users.add(fullUser('bob', { virtual_folders: [{ name: 'f1', virtual_path: '/x' }, { name: 'f2', virtual_path: '/y' }] }));
    await provider.users.update(fullUser('alice', { virtual_folders: [{ name: 'f2', virtual_path: '/two' }] }));
    assert.deepEqual((await provider.users.get('alice')).virtual_folders!.map((f) => f.name), ['f2']);
    assert.deepEqual((await provider.folders.get('f1')).users, ['bob']);
    assert.deepEqual((await provider.folders.get('f2')).users, ['alice', 'bob']);
    await provider.users.delete('bob');
    assert.deepEqual((await provider.folders.get('f2')).users, ['alice']);
    await provider.folders.delete('f2');
    assert.deepEqual((await provider.users.get('alice')).virtual_folders, []);
    assert.equal(await kindOf(provider.users.update(fullUser('alice', { virtual_folders: [{ name: 'gone', virtual_path: '/g' }] }))), ErrorKind.NotFound);
  });
}
