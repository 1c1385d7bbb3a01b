/**
 * Schema fidelity and migrations on the real servers: a schema the provider creates equals SFTPGo
 * v2.1.2's initial script plus its 8 → 9 statements (columns, types, constraints, indexes); a
 * database SFTPGo created at version 8, with rows in it, migrates to 10 and reverts to 8 with its
 * data intact; a version below 8 is refused as too old; a newer one is left alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sftpgoV8, sftpgoV9 } from '../../fixtures/sftpgo-v8-schema.js';
import {
  dropPrefix, openServerProvider, randomPrefix, rawSql, serverAvailability, SERVER_DRIVERS, type RawQuery, type ServerDriver,
} from '../../helpers/sqlserver.js';
import { isSftpGoError } from '../../../src/util/errors.js';

const available = await serverAvailability();
const TABLES = ['schema_version', 'admins', 'folders', 'users', 'folders_mapping'];

/** Columns, constraints and indexes of the SFTPGo tables under `prefix`, with the prefix written as P_. */
async function shape(driver: ServerDriver, prefix: string): Promise<string[]> {
  const names = TABLES.map((t) => `${prefix}${t}`);
  const inList = names.map(() => '?').join(',');
  const schema = driver === 'postgresql' ? 'current_schema()' : 'DATABASE()';
  return rawSql(driver, async (q) => {
    const rows = [
      ...await q(`SELECT table_name AS t, column_name AS c, data_type AS d, character_maximum_length AS l, is_nullable AS n, column_default AS def
        FROM information_schema.columns WHERE table_schema = ${schema} AND table_name IN (${inList})`, names),
      ...await q(`SELECT table_name AS t, constraint_name AS c, constraint_type AS d FROM information_schema.table_constraints
        WHERE table_schema = ${schema} AND table_name IN (${inList}) AND constraint_type <> 'CHECK'`, names),
      ...await (driver === 'postgresql'
        ? q(`SELECT tablename AS t, indexname AS c, indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${inList})`, names)
        : q(`SELECT table_name AS t, index_name AS c, column_name AS d, non_unique AS n FROM information_schema.statistics
            WHERE table_schema = DATABASE() AND table_name IN (${inList})`, names)),
    ];
    return rows.map((r) => JSON.stringify(Object.values(r)).split(prefix).join('P_')).sort();
  });
}

async function runScript(driver: ServerDriver, statements: string[]): Promise<void> {
  await rawSql(driver, async (q) => { for (const s of statements) await q(s); });
}

/** Rows as SFTPGo 2.0/2.1 stored them at version 8 (Azure SAS URL still a plain string). */
async function insertV8Rows(q: RawQuery, p: string, driver: ServerDriver): Promise<void> {
  const id = (t: string) => (driver === 'postgresql' ? `"${t}"` : `\`${t}\``);
  const azure = JSON.stringify({ provider: 3, azblobconfig: { container: 'c', sas_url: 'https://acct.blob.core.windows.net/c?sig=x' } });
  await q(`INSERT INTO ${id(`${p}folders`)} (name, path, used_quota_size, used_quota_files, last_quota_update) VALUES (?,?,?,?,?)`,
    ['shared', '/srv/shared', 100, 2, 1600000000000]);
  await q(`INSERT INTO ${id(`${p}users`)} (status, expiration_date, username, password, public_keys, home_dir, uid, gid, max_sessions,
    quota_size, quota_files, permissions, used_quota_size, used_quota_files, last_quota_update, upload_bandwidth, download_bandwidth,
    last_login, filters, filesystem, additional_info) VALUES (1,0,?,?,?,?,0,0,0,0,0,?,42,3,0,0,0,0,?,?,?)`,
  ['legacy', '$2a$10$abcdefghijklmnopqrstuu5Z2E4yH0rDqVbN5s7cUvB1Wl8Oq6', '[]', '/srv/legacy', JSON.stringify({ '/': ['*'] }), '{}', azure, 'old']);
  await q(`INSERT INTO ${id(`${p}folders_mapping`)} (virtual_path, quota_size, quota_files, folder_id, user_id)
    SELECT '/shared', -1, -1, f.id, u.id FROM ${id(`${p}folders`)} f, ${id(`${p}users`)} u`);
  await q(`INSERT INTO ${id(`${p}admins`)} (username, password, email, status, permissions, filters, additional_info) VALUES (?,?,?,1,?,?,?)`,
    ['boss', '$2a$10$abcdefghijklmnopqrstuu5Z2E4yH0rDqVbN5s7cUvB1Wl8Oq6', 'b@example.com', '["*"]', '{}', '']);
}

for (const driver of SERVER_DRIVERS) {
  describe(`${driver} schema`, { ...available[driver], concurrency: 3 }, () => {
    test(`${driver}: a schema the provider creates is SFTPGo v2.1.2's initial script plus its 8 -> 9 statements`, async () => {
      const mine = randomPrefix();
      const theirs = randomPrefix();
      try {
        const p = await openServerProvider(driver, mine);
        await p.initialize().finally(() => p.close());
        await runScript(driver, [...sftpgoV8(driver, theirs), ...sftpgoV9(driver, theirs)]);
        assert.deepEqual(await shape(driver, mine), await shape(driver, theirs));
      } finally {
        await dropPrefix(driver, mine);
        await dropPrefix(driver, theirs);
      }
    });

    test(`${driver}: a version-8 database with data migrates to 10 and reverts to 8 intact`, async () => {
      const prefix = randomPrefix();
      const pristine = randomPrefix();
      try {
        await runScript(driver, sftpgoV8(driver, pristine));
        await runScript(driver, sftpgoV8(driver, prefix));
        await rawSql(driver, (q) => insertV8Rows(q, prefix, driver));
        const p = await openServerProvider(driver, prefix);
        try {
          assert.equal(await p.schemaVersion(), 8);
          await p.initialize();
          assert.equal(await p.schemaVersion(), 10);
          const u = await p.users.get('legacy');
          assert.deepEqual(u.filesystem?.azblobconfig?.sas_url, { status: 'Plain', payload: 'https://acct.blob.core.windows.net/c?sig=x' });
          assert.deepEqual([u.used_quota_size, u.used_quota_files, u.description, u.additional_info], [42, 3, '', 'old']);
          assert.deepEqual(u.virtual_folders!.map((f) => [f.name, f.virtual_path, f.used_quota_size]), [['shared', '/shared', 100]]);
          assert.equal((await p.admins.get('boss')).email, 'b@example.com');
          await p.users.update({ ...u, description: 'set at v10' });

          await p.revert(8);
          assert.equal(await p.schemaVersion(), 8);
          assert.deepEqual(await shape(driver, prefix), await shape(driver, pristine), 'back to the exact v8 layout');
          const fs = await rawSql(driver, (q) => q(`SELECT filesystem FROM ${driver === 'postgresql' ? `"${prefix}users"` : `\`${prefix}users\``}`));
          assert.equal(JSON.parse(String(fs[0]!.filesystem)).azblobconfig.sas_url, 'https://acct.blob.core.windows.net/c?sig=x');

          await p.initialize();
          assert.equal(await p.schemaVersion(), 10);
          assert.equal((await p.users.get('legacy')).home_dir, '/srv/legacy');
        } finally {
          await p.close();
        }
      } finally {
        await dropPrefix(driver, prefix);
        await dropPrefix(driver, pristine);
      }
    });

    test(`${driver}: a version below 8 is refused as too old; a newer version is left alone`, async () => {
      const prefix = randomPrefix();
      const table = driver === 'postgresql' ? `"${prefix}schema_version"` : `\`${prefix}schema_version\``;
      try {
        await runScript(driver, [...sftpgoV8(driver, prefix), `UPDATE ${table} SET version = 7`]);
        const p = await openServerProvider(driver, prefix);
        try {
          await assert.rejects(p.initialize(), (err) => isSftpGoError(err) && /version 7 is too old/.test(err.message));
          await runScript(driver, [`UPDATE ${table} SET version = 11`]);
          await p.initialize();
          assert.equal(await p.schemaVersion(), 11);
        } finally {
          await p.close();
        }
      } finally {
        await dropPrefix(driver, prefix);
      }
    });
  });
}
