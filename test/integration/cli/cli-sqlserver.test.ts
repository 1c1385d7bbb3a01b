/**
 * The provider tools on server databases (PostgreSQL, MariaDB), as a user runs them with
 * SFTPGO_DATA_PROVIDER__* settings: initprovider / revertprovider / initprovider, an SFTPGo v2.1.2
 * dump loaded and dumped back unchanged, and a writing tool that runs beside a live node on the
 * same tables (no file lock on a server database), whose write that node sees at once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { dropPrefix, openServerProvider, randomPrefix, serverAvailability, serverConfig, SERVER_DRIVERS, type ServerDriver } from '../../helpers/sqlserver.js';

const available = await serverAvailability();
const fixture = fileURLToPath(new URL('../../fixtures/backup-v2.1.2.json', import.meta.url));

/** A temp config dir and a fresh table prefix; `cli` runs with `-c dir` and the provider in the environment. */
async function withServer(driver: ServerDriver, fn: (cli: (...args: string[]) => Promise<CliResult>, prefix: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-clisql-'));
  const prefix = randomPrefix();
  const env: Record<string, string> = { HOME: dir, SFTPGO_DATA_PROVIDER__SQL_TABLES_PREFIX: prefix };
  for (const [k, v] of Object.entries(serverConfig(driver))) env[`SFTPGO_DATA_PROVIDER__${k.toUpperCase()}`] = String(v);
  try {
    await fn((...args) => runCli([...args, '-c', dir], env), prefix);
  } finally {
    await dropPrefix(driver, prefix);
    await rm(dir, { recursive: true, force: true });
  }
}

for (const driver of SERVER_DRIVERS) {
  describe(`${driver} provider tools`, { ...available[driver], concurrency: 2 }, () => {
    test(`${driver}: initprovider, revertprovider --to-version 8, initprovider again`, () => withServer(driver, async (cli, prefix) => {
      const init = await cli('initprovider');
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /successfully initialized\/updated \(schema version 10\)/);
      assert.equal((await cli('initprovider')).stdout.trim(), 'the data provider is up to date');
      const revert = await cli('revertprovider', '--to-version', '8');
      assert.equal(revert.code, 0, revert.stderr);
      const node = await openServerProvider(driver, prefix);
      try {
        assert.equal(await node.schemaVersion(), 8);
        assert.equal((await cli('initprovider')).code, 0);
        assert.equal(await node.schemaVersion(), 10);
      } finally {
        await node.close();
      }
    }));

    test(`${driver}: loaddata then dumpdata gives the v2.1.2 dump back unchanged`, () => withServer(driver, async (cli) => {
      const load = await cli('loaddata', '--input-file', fixture, '--mode', '1');
      assert.equal(load.code, 0, load.stderr);
      assert.equal(load.stdout.trim(), 'data loaded: 6 users, 3 folders, 2 admins');
      const dump = await cli('dumpdata');
      assert.equal(dump.code, 0, dump.stderr);
      assert.deepEqual(JSON.parse(dump.stdout), JSON.parse(await readFile(fixture, 'utf8')));
    }));

    test(`${driver}: a writing tool runs beside a live node (no lock) and the node sees its write`, () => withServer(driver, async (cli, prefix) => {
      assert.equal((await cli('initprovider')).code, 0);
      const node = await openServerProvider(driver, prefix);
      try {
        await node.checkAvailability();
        const add = await cli('user', 'add', 'carol', '--password', 'pw', '--home-dir', '/srv/carol');
        assert.equal(add.code, 0, add.stderr);
        assert.equal((await node.users.get('carol')).home_dir, '/srv/carol');
      } finally {
        await node.close();
      }
    }));
  });
}
