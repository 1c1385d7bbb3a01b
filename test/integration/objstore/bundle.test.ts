/**
 * The cloud SDKs survive bundling: the object-store code is bundled by esbuild into one CommonJS
 * file (the single executable's format, same options as scripts/build-sea.mjs) with nothing left
 * outside but known optional modules, and the bundle round-trips a file on S3, Azure Blob and GCS
 * emulators.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startS3rver } from '../../helpers/s3rver.js';
import { startAzurite } from '../../helpers/azurite.js';
import { startFakeGcs } from '../../helpers/fake-gcs.js';
import { assertAvailable, needs } from '../../helpers/require.js';

// node-fetch's `encoding`, and ssh2's optional native pieces (the registry also holds the SFTP backend;
// ssh2 loads them in try/catch and falls back to node:crypto).
const OPTIONAL = ['encoding', 'cpu-features', './crypto/build/Release/sshcrypto.node'];
const root = path.resolve(new URL('../../..', import.meta.url).pathname);
const [s3, az, gcs] = await Promise.all([startS3rver(), startAzurite(), startFakeGcs()]);
after(() => Promise.all([s3.stop(), az.stop(), gcs.stop()]));
const missing = s3.unavailable ?? az.unavailable;

test('object stores: the bundled SDKs round-trip a file on S3, Azure Blob and GCS', needs(!missing, missing ?? ''), async () => {
  assertAvailable(!missing, missing ?? '');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-bundle-'));
  try {
    const esbuild = await import('esbuild');
    const outfile = path.join(dir, 'probe.cjs');
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'test', 'fixtures', 'objstore-bundle-probe.ts')], bundle: true, platform: 'node',
      format: 'cjs', target: 'node20', outfile, metafile: true, logLevel: 'silent', external: OPTIONAL,
      define: { 'import.meta.url': '__probe_url' }, banner: { js: 'const __probe_url = require("node:url").pathToFileURL(__filename).href;' },
    });
    const outside = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path)) outside.add(imp.path);
    }
    assert.deepEqual([...outside].filter((p) => !OPTIONAL.includes(p)), [], 'only known optional modules stay outside');
    const input = {
      s3: s3.config('bundle/'), azblob: az.config('bundle/'),
      gcs: { config: { bucket: 'sftpgo-test', automatic_credentials: 1, key_prefix: 'bundle/' }, apiEndpoint: gcs.url },
    };
    // Run from the temp dir so nothing can be resolved from node_modules: the bundle must hold it all.
    const { stdout } = await promisify(execFile)(process.execPath, [outfile, JSON.stringify(input)], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    assert.deepEqual(JSON.parse(stdout), { s3: 'via s3', azblob: 'via azblob', gcs: 'via gcs' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
