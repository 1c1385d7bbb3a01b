#!/usr/bin/env node
// Runs every benchmark (bench/<name>/run.ts), or the ones named: `node scripts/run-bench.mjs sftp ftp`.
// Each benchmark starts its own reference server beside ours and prints ratios; see its header.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'bench');
const wanted = process.argv.slice(2);
const names = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, 'run.ts')))
  .map((d) => d.name)
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();
let failed = 0;
for (const name of names) {
  console.log(`\n== bench/${name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, name, 'run.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
