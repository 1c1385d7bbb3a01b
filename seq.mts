import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSqliteProvider } from './src/dataprovider/sqljs/index.ts';
const dir = await mkdtemp(path.join(os.tmpdir(), 'seq-'));
const p = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
await p.initialize();
const t0 = Date.now();
for (let i = 0; i < 10000; i++) {
  await p.users.add({ username: `user${String(i).padStart(6, '0')}`, status: 1, home_dir: `/srv/u${i}`, password: '$2a$10$q2O5ng7.hOk2afL5ZCGtCuw2EUQBG3whB22tcgJehYXScuMiQZu0S', permissions: { '/': ['*'] }, filters: { allowed_ip: ['192.0.2.0/24'] }, description: 'bench user' });
  if ((i + 1) % 2500 === 0) console.log(i + 1, Date.now() - t0, 'ms', os.loadavg()[0].toFixed(1));
}
await p.close(); await rm(dir, { recursive: true, force: true });
