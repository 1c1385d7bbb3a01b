/**
 * The single executable's bundle checks and ssh2's binding seam (scripts/sea/bundle.mjs), proven
 * without building a 100 MB executable: ssh2's real crypto.js is bundled with the seam plugin and
 * a stand-in for `node:sea`, then run, and ssh2 itself reports whether it got the binding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { OPTIONAL_EXTERNALS, buildDate, checkSeam, computedRequires, createdRequires, sshCryptoSeam } from '../../../scripts/sea/bundle.mjs';
import { needs } from '../../helpers/require.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const ssh2Crypto = join(dirname(require.resolve('ssh2/package.json')), 'lib', 'protocol', 'crypto.js');
const nodeModulesBinding = join(dirname(ssh2Crypto), 'crypto', 'build', 'Release', 'sshcrypto.node');

/** Resolves `node:sea` to a stand-in that embeds `asset` under "sshcrypto.node" (or nothing). */
function fakeSea(asset: string | null): Plugin {
  const contents = `const fs = require('node:fs');
module.exports = {
  isSea: () => true,
  getRawAsset(name) {
    if (name !== 'sshcrypto.node' || ${JSON.stringify(asset)} === null) throw new Error('no such asset');
    const b = fs.readFileSync(${JSON.stringify(asset)});
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  },
};`;
  return {
    name: 'fake-sea',
    setup(build) {
      build.onResolve({ filter: /^node:sea$/ }, () => ({ path: 'sea', namespace: 'fake-sea' }));
      build.onLoad({ filter: /.*/, namespace: 'fake-sea' }, () => ({ contents, loader: 'js' }));
    },
  };
}

/** Bundles ssh2's crypto.js like the executable does and reports ssh2's `bindingAvailable`. */
async function ssh2BindingThroughSeam(asset: string | null): Promise<{ binding: boolean; importers: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-seam-'));
  try {
    const entry = join(dir, 'entry.cjs');
    await writeFile(entry, `process.stdout.write(String(require(${JSON.stringify(ssh2Crypto)}).bindingAvailable));`);
    const importers: string[] = [];
    const outfile = join(dir, 'out.cjs');
    await esbuild.build({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent', external: OPTIONAL_EXTERNALS,
      plugins: [fakeSea(asset), sshCryptoSeam(root, importers)],
    });
    const out = execFileSync(process.execPath, [outfile], { env: { ...process.env, TMPDIR: dir } }).toString();
    return { binding: out === 'true', importers };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('ssh2 gets the embedded binding through the seam', needs(existsSync(nodeModulesBinding), "ssh2's sshcrypto.node was not built in node_modules"), async () => {
  const r = await ssh2BindingThroughSeam(nodeModulesBinding);
  assert.equal(r.binding, true, 'ssh2 reports bindingAvailable');
  assert.deepEqual(r.importers, [ssh2Crypto], 'only ssh2/lib/protocol/crypto.js asks for the binding');
});

test('without the asset ssh2 falls back to node:crypto and still loads', async () => {
  const r = await ssh2BindingThroughSeam(null);
  assert.equal(r.binding, false);
});

test('the build fails when ssh2 is bundled but its binding require no longer goes through the seam', () => {
  const meta = (paths: string[]) => ({ inputs: Object.fromEntries(paths.map((p) => [p, { bytes: 0, imports: [] }])), outputs: {} }) as unknown as Metafile;
  assert.throws(() => checkSeam(meta(['node_modules/ssh2/lib/protocol/crypto.js']), []), /update the seam/);
  assert.equal(checkSeam(meta(['node_modules/ssh2/lib/protocol/crypto.js']), [ssh2Crypto]), true);
  assert.equal(checkSeam(meta(['src/cli/main.ts']), []), false, 'no ssh2 in the bundle: nothing to check');
});

test('requires of computed names are found by esbuild, literal ones, methods named require and strings are not', async () => {
  const { build } = await import('esbuild');
  const contents = [
    'const a = require("node:fs"); import("node:os");',
    'class P { require(a, b) { return a + b; } }',
    'const text = "colors.setTheme(require(__dirname + \'/x.js\'))";',
    'const m = "x"; const r = require(m); import(m);',
    'module.exports = { a, P, text, r };',
  ].join('\n');
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), sourcefile: 'probe.js' }, bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent',
    logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning' },
  });
  const found = computedRequires(result.warnings);
  assert.equal(found.length, 2, found.join('\n'));
  assert.ok(found.every((f) => f.startsWith('probe.js:4:')), found.join('\n'));
  const mysql2 = { id: 'unsupported-require-call', text: '', location: { file: 'node_modules/mysql2/lib/helpers.js', line: 30, lineText: '  highlightFn = require(`cardinal${REQUIRE_TERMINATOR}`).highlight;' } };
  assert.deepEqual(computedRequires([mysql2] as never), [], 'a known optional one (in a try/catch) is allowed');
  assert.equal(computedRequires([{ ...mysql2, location: { ...mysql2.location, file: 'node_modules/other/x.js' } }] as never).length, 1, 'only where it is known');
});

test('modules loaded through a createRequire-made require are found (the executable cannot resolve them)', () => {
  const bundled = 'var require2 = (0, import_node_module.createRequire)(__sftpgo_import_meta_url);\nvar supported = require2("ssh2/lib/protocol/constants.js");';
  assert.deepEqual(createdRequires(bundled), ['require2("ssh2/lib/protocol/constants.js")']);
  const hoisted = 'var require3;\nrequire3 = (0, import_node_module2.createRequire)(__sftpgo_import_meta_url);\nvar c = require3("ssh2/lib/server.js");';
  assert.deepEqual(createdRequires(hoisted), ['require3("ssh2/lib/server.js")'], 'esbuild hoists the declaration: the assignment alone is found too');
  assert.deepEqual(createdRequires('const r = createRequire(x); r("node:fs"); r("os"); other_r("pkg");'), [], 'built-ins resolve anywhere');
  assert.deepEqual(createdRequires('const m = require("node:module"); m.createRequire(ctx).resolve(origin);'), [], 'no require function kept');
});

test('the build date has SFTPGo\'s format and honours SOURCE_DATE_EPOCH', () => {
  const saved = process.env.SOURCE_DATE_EPOCH;
  try {
    process.env.SOURCE_DATE_EPOCH = '1631350000';
    assert.equal(buildDate(), '2021-09-11T08:46:40Z');
    delete process.env.SOURCE_DATE_EPOCH;
    assert.match(buildDate(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
});
