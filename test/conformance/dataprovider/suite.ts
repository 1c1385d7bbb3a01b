/**
 * Conformance suite every DataProvider runs: `runProviderConformance(name, make)`. It checks the
 * port's promises (types.ts): records stored field by field, natural keys unique (Exists), missing
 * records NotFound, ordering and paging, quota arithmetic, folder mappings, copies out, schema
 * version, and for persistent providers that everything survives a reopen.
 */
import assert from 'node:assert/strict';
import { ErrorKind } from '../../../src/util/errors.js';
import { collect, fullAdmin, fullFolder, fullUser, kindOf, pick, providerTest, type ProviderFactory } from './harness.js';
import { userTests } from './users.js';

export type { ProviderFactory, ProviderUnderTest } from './harness.js';

const page = { limit: 100, offset: 0, order: 'ASC' as const };

function folderTests(name: string, make: ProviderFactory): void {
  const t = (title: string, fn: Parameters<typeof providerTest>[3]) => providerTest(name, `folders: ${title}`, make, fn);

  t('add stores every field (used quota too) with an id and an empty users list', async ({ provider }) => {
    const input = fullFolder('data');
    const saved = await provider.folders.add(input);
    assert.ok(Number.isInteger(saved.id) && saved.id! > 0);
    assert.deepEqual(pick(saved, input), input);
    assert.deepEqual(saved.users, []);
    assert.deepEqual(await provider.folders.get('data'), saved);
    assert.equal(await kindOf(provider.folders.add(fullFolder('data'))), ErrorKind.Exists);
  });

  t('update changes mapped path, description and filesystem only', async ({ provider }) => {
    await provider.folders.add(fullFolder('data'));
    const updated = await provider.folders.update({ name: 'data', mapped_path: '/other', description: 'd2', filesystem: { provider: 0 }, used_quota_size: 999 });
    assert.deepEqual(pick(updated, { mapped_path: '', description: '', used_quota_size: 0 }), { mapped_path: '/other', description: 'd2', used_quota_size: 10 });
    assert.equal(updated.filesystem?.provider, 0);
    for (const op of [() => provider.folders.get('x'), () => provider.folders.update(fullFolder('x')), () => provider.folders.delete('x'),
      () => provider.folders.updateQuota('x', 1, 1, false), () => provider.folders.getUsedQuota('x')]) {
      assert.equal(await kindOf(op()), ErrorKind.NotFound, op.toString());
    }
  });

  t('list, iterate, quota, delete', async ({ provider }) => {
    for (const n of ['c', 'a', 'b']) await provider.folders.add(fullFolder(n, { used_quota_size: 0, used_quota_files: 0 }));
    assert.deepEqual((await provider.folders.list({ ...page, order: 'DESC' })).map((f) => f.name), ['c', 'b', 'a']);
    assert.deepEqual((await provider.folders.list({ ...page, limit: 1, offset: 1 })).map((f) => f.name), ['b']);
    assert.deepEqual((await collect(provider.folders.iterate(2))).map((f) => f.name), ['a', 'b', 'c']);
    await provider.folders.updateQuota('a', 50, 5, false);
    await provider.folders.updateQuota('a', -10, -1, false);
    assert.deepEqual(await provider.folders.getUsedQuota('a'), { usedSize: 40, usedFiles: 4 });
    await provider.folders.updateQuota('a', 1, 1, true);
    assert.deepEqual(await provider.folders.getUsedQuota('a'), { usedSize: 1, usedFiles: 1 });
    await provider.folders.delete('a');
    assert.equal(await kindOf(provider.folders.get('a')), ErrorKind.NotFound);
  });
}

function adminTests(name: string, make: ProviderFactory): void {
  const t = (title: string, fn: Parameters<typeof providerTest>[3]) => providerTest(name, `admins: ${title}`, make, fn);

  t('add, get, update, delete, count, list, iterate', async ({ provider }) => {
    const input = fullAdmin('root');
    const saved = await provider.admins.add(input);
    assert.ok(Number.isInteger(saved.id) && saved.id! > 0);
    assert.deepEqual(pick(saved, input), input);
    assert.deepEqual(await provider.admins.get('root'), saved);
    assert.equal(await kindOf(provider.admins.add(fullAdmin('root'))), ErrorKind.Exists);
    const updated = await provider.admins.update(fullAdmin('root', { permissions: ['*'], email: '', status: 0, filters: {} }));
    assert.equal(updated.id, saved.id);
    assert.deepEqual(pick(updated, { permissions: [], status: 1 }), { permissions: ['*'], status: 0 });
    await provider.admins.add(fullAdmin('abe'));
    assert.equal(await provider.admins.count(), 2);
    assert.deepEqual((await provider.admins.list({ ...page, order: 'DESC' })).map((a) => a.username), ['root', 'abe']);
    assert.deepEqual((await collect(provider.admins.iterate(1))).map((a) => a.username), ['abe', 'root']);
    await provider.admins.delete('abe');
    for (const op of [() => provider.admins.get('abe'), () => provider.admins.delete('abe'), () => provider.admins.update(fullAdmin('abe'))]) {
      assert.equal(await kindOf(op()), ErrorKind.NotFound, op.toString());
    }
  });
}

function schemaTests(name: string, make: ProviderFactory): void {
  providerTest(name, 'schema: initialize is idempotent, version 10, available', make, async ({ provider }) => {
    await provider.users.add(fullUser('kept'));
    await provider.initialize();
    assert.equal(await provider.schemaVersion(), 10);
    await provider.checkAvailability();
    assert.equal((await provider.users.get('kept')).username, 'kept');
    assert.equal(await kindOf(provider.revert(7)), provider.persistent ? ErrorKind.InvalidInput : ErrorKind.NotSupported);
  });

  providerTest(name, 'persistence: every record survives a reopen', make, async (u) => {
    if (!u.provider.persistent || !u.reopen) {
      assert.equal(u.reopen, undefined, 'a provider that can be reopened must declare itself persistent');
      return;
    }
    await u.provider.folders.add(fullFolder('f'));
    const user = await u.provider.users.add(fullUser('alice', { virtual_folders: [{ name: 'f', virtual_path: '/f', quota_size: -1, quota_files: -1 }] }));
    await u.provider.users.updateQuota('alice', 5, 1, false);
    const admin = await u.provider.admins.add(fullAdmin('root'));
    const again = await u.reopen();
    assert.deepEqual({ ...(await again.users.get('alice')), last_quota_update: 0 }, { ...user, used_quota_size: 5, used_quota_files: 1, last_quota_update: 0 });
    assert.deepEqual(await again.admins.get('root'), admin);
    assert.deepEqual((await again.folders.get('f')).users, ['alice']);
  });
}

/** Registers the whole suite for one provider. */
export function runProviderConformance(name: string, make: ProviderFactory): void {
  userTests(name, make);
  folderTests(name, make);
  adminTests(name, make);
  schemaTests(name, make);
}
