/**
 * Reaching the servers as configured: `connection_string` wins over the fields, an unreachable
 * server fails the availability check with the reason, TLS modes behave as SFTPGo's drivers do
 * against a server without TLS (these local servers have none: PostgreSQL `require` and MySQL
 * `true` fail, MySQL `preferred` falls back to plain TCP), and `pool_size` bounds the connections.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProviderRegistry } from '../../../src/dataprovider/registry.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { rawSql, serverAvailability, serverConfig, SERVER_DRIVERS, type ServerDriver } from '../../helpers/sqlserver.js';

const available = await serverAvailability();
/** These tests change the fields of the default local servers; a custom server string skips them. */
const custom = Boolean(process.env.SFTPGO_TEST_PGSQL || process.env.SFTPGO_TEST_MYSQL);
const opts = (d: ServerDriver) => (custom ? { skip: 'SFTPGO_TEST_PGSQL/MYSQL set: these tests need the default local servers' } : available[d]);

async function withProvider(driver: ServerDriver, config: Record<string, unknown>, fn: (p: DataProvider) => Promise<void>): Promise<void> {
  const p = await createProviderRegistry().get(driver)!({ config: { ...serverConfig(driver), sql_tables_prefix: 'none_', ...config }, configDir: '/nonexistent' });
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

const goodString = (d: ServerDriver) => (d === 'postgresql' ? 'host=127.0.0.1 port=5432 dbname=test user=postgres sslmode=disable' : 'root:@tcp(127.0.0.1:3306)/test?timeout=5s');

for (const driver of SERVER_DRIVERS) {
  describe(`${driver} connection`, opts(driver), () => {
    test(`${driver}: connection_string overrides host, port and credentials`, () =>
      withProvider(driver, { host: '127.0.0.1', port: 1, username: 'nobody', connection_string: goodString(driver) }, async (p) => {
        await p.checkAvailability();
        assert.equal(await p.schemaVersion(), 0);
      }));

    test(`${driver}: an unreachable server fails the availability check with the reason`, () =>
      withProvider(driver, { host: '127.0.0.1', port: 1 }, async (p) => {
        await assert.rejects(p.checkAvailability(), /ECONNREFUSED/);
        await assert.rejects(p.initialize(), /ECONNREFUSED/);
      }));

    test(`${driver}: sslmode 1 against a server without TLS fails clearly`, () =>
      withProvider(driver, { sslmode: 1 }, async (p) => {
        await assert.rejects(p.checkAvailability(), driver === 'postgresql' ? /does not support SSL/ : /does not support secure connection/);
      }));
  }
  );
}

describe('mysql preferred TLS', opts('mysql'), () => {
  test('mysql: sslmode 3 (preferred) falls back to plain TCP when the server has no TLS', () =>
    withProvider('mysql', { sslmode: 3 }, (p) => p.checkAvailability()));
});

describe('postgresql pool', opts('postgresql'), () => {
  test('postgresql: pool_size bounds the connections a provider opens', async () => {
    const app = `sftpgo-pool-${process.pid}-${Date.now()}`;
    const count = () => rawSql('postgresql', async (q) => Number((await q('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = ?', [app]))[0]!.n));
    await withProvider('postgresql', { pool_size: 2, connection_string: `${goodString('postgresql')} application_name=${app}` }, async (p) => {
      await Promise.all(Array.from({ length: 40 }, () => p.schemaVersion()));
      const open = await count();
      assert.ok(open >= 1 && open <= 2, `${open} connections for pool_size 2`);
    });
    assert.equal(await count(), 0, 'close releases every connection');
  });
});
