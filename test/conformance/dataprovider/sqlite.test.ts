/** The sqlite provider (sql.js over a real file) runs the DataProvider conformance suite. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSqliteProvider } from '../../../src/dataprovider/sqljs/index.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { runProviderConformance } from './suite.js';

runProviderConformance('sqlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-sqlite-conf-'));
  const open = async () => {
    const p = await createSqliteProvider({ config: { name: 'sftpgo.db', sql_tables_prefix: 'pfx_' }, configDir: dir });
    await p.initialize();
    return p;
  };
  let provider: DataProvider = await open();
  return {
    provider,
    async reopen() {
      await provider.close();
      provider = await open();
      return provider;
    },
    async cleanup() {
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
