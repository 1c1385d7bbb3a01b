/**
 * The layering check (scripts/check-layering.mjs) passes on this tree and fails on a tree where the
 * core imports a protocol library, an unlisted package, or a protocol module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve('scripts/check-layering.mjs');

function check(root?: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, root ? [script, root] : [script], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('layering: this repository passes', () => {
  const r = check();
  assert.equal(r.code, 0, r.out);
});

test('layering: the core importing ssh2, an unlisted package or a protocol module is reported', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'layering-'));
  try {
    await mkdir(path.join(root, 'src', 'core'), { recursive: true });
    await mkdir(path.join(root, 'src', 'protocols', 'sftp'), { recursive: true });
    await writeFile(path.join(root, 'src', 'protocols', 'sftp', 'server.ts'), 'export const x = 1;\n');
    await writeFile(path.join(root, 'src', 'core', 'ok.ts'), "import path from 'node:path';\nimport pino from 'pino';\nexport { path, pino };\n");
    assert.equal(check(root).code, 0);
    await writeFile(path.join(root, 'src', 'core', 'bad.ts'), [
      "import { Server } from 'ssh2';",
      "import ftp from 'basic-ftp';",
      "import { x } from '../protocols/sftp/server.js';",
      'export { Server, ftp, x };',
    ].join('\n'));
    const r = check(root);
    assert.equal(r.code, 1);
    assert.match(r.out, /must not import protocol library 'ssh2'/);
    assert.match(r.out, /core may import only .* not 'basic-ftp'/);
    assert.match(r.out, /core must not depend on protocols/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
