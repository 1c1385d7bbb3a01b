/**
 * SFTPGo's per-backend object-store counters (INVENTORY §9.3: sftpgo_<b>_uploads_total,
 * _upload_size, _downloads_total, _download_size, _list_objects, _copy_object, _delete_object,
 * _head_object, the bucket/container check and their error counters) move with real calls against the emulators: s3rver for
 * S3, the fake GCS JSON API, azurite for Azure Blob. Each Fs comes from the registry the app
 * builds, with telemetry's PromMetrics as the sink.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PromMetrics } from '../../../src/protocols/telemetry/metrics.js';
import { createFsRegistry, type FsRegistry } from '../../../src/vfs/registry.js';
import { createGcsFs } from '../../../src/vfs/gcs/index.js';
import type { FsProviderCode } from '../../../src/dataprovider/models.js';
import type { Fs } from '../../../src/vfs/types.js';
import { startAzurite } from '../../helpers/azurite.js';
import { startFakeGcs } from '../../helpers/fake-gcs.js';
import { needs } from '../../helpers/require.js';
import { startS3rver } from '../../helpers/s3rver.js';

const s3 = await startS3rver();
const az = await startAzurite();
const gcs = await startFakeGcs();
const root = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-objmetrics-'));
after(async () => {
  await Promise.all([s3.stop(), az.stop(), gcs.stop()]);
  await rm(root, { recursive: true, force: true });
});

const gcsCreds = JSON.stringify({ type: 'service_account', client_email: 'test@example.invalid', private_key: 'unused', project_id: 'test' });

interface Case {
  prefix: 's3' | 'gcs' | 'az';
  unavailable?: string;
  provider: FsProviderCode;
  /** Config of a fresh key prefix; `missing` names a bucket/container that does not exist. */
  config(keyPrefix: string, missing?: boolean): Record<string, unknown>;
  register?(reg: FsRegistry): void;
}

const cases: Case[] = [
  { prefix: 's3', unavailable: s3.unavailable, provider: 1, config: (k, missing) => ({ s3config: s3.config(k, missing ? { bucket: 'no-such-bucket' } : {}) }) },
  {
    prefix: 'gcs', provider: 2,
    config: (k, missing) => ({ gcsconfig: { bucket: missing ? 'no-such-bucket' : 'sftpgo-test', key_prefix: k, credentials: { status: 'Plain', payload: gcsCreds } } }),
    register: (reg) => reg.register('gcs', (o) => createGcsFs(o, { apiEndpoint: gcs.url })),
  },
  { prefix: 'az', unavailable: az.unavailable, provider: 3, config: (k, missing) => ({ azblobconfig: az.config(k, missing ? { container: 'no-such-container' } : {}) }) },
];

async function counters(m: PromMetrics, prefix: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const metric of await m.registry.getMetricsAsJSON()) {
    if (metric.name.startsWith(`sftpgo_${prefix}_`)) out[metric.name.slice(`sftpgo_${prefix}_`.length)] = Number(metric.values[0]?.value ?? 0);
  }
  return out;
}

async function writeFile(fs: Fs, p: string, data: Buffer): Promise<void> {
  const w = await fs.openWrite(p, { mode: 'truncate' });
  await w.write(data, 0);
  await w.close();
}

async function readAll(fs: Fs, p: string): Promise<number> {
  const r = await fs.openRead(p);
  let n = 0;
  for await (const chunk of r.stream()) n += (chunk as Buffer).length;
  await r.close();
  return n;
}

for (const c of cases) {
  test(`${c.prefix}: sftpgo_${c.prefix}_* counters move with uploads, downloads, lists, heads, copies and deletes`, needs(!c.unavailable, c.unavailable ?? ''), async () => {
    const metrics = new PromMetrics({ processMetrics: false });
    const reg = createFsRegistry({ metrics });
    c.register?.(reg);
    const fs = await reg.create(c.provider, { root, config: Object.values(c.config(`m-${Date.now()}/`))[0] });
    const before = await counters(metrics, c.prefix);
    assert.equal(before.uploads_total, 0);
    await fs.mkdir('/d');
    await writeFile(fs, '/d/f.bin', Buffer.alloc(1000, 7));
    assert.equal(await readAll(fs, '/d/f.bin'), 1000);
    const names: string[] = [];
    for await (const e of fs.list('/d')) names.push(e.name);
    assert.deepEqual(names, ['f.bin']);
    await assert.rejects(fs.stat('/nope.bin'));
    await fs.rename('/d/f.bin', '/d/g.bin');
    await fs.remove('/d/g.bin');
    const n = await counters(metrics, c.prefix);
    assert.equal(n.uploads_total, 2, 'directory marker and file');
    assert.equal(n.upload_size, 1000);
    assert.equal(n.upload_errors_total, 0);
    assert.equal(n.downloads_total, 1);
    assert.equal(n.download_size, 1000);
    assert.equal(n.download_errors_total, 0);
    assert.ok(n.list_objects! >= 1, `list_objects ${n.list_objects}`);
    assert.equal(n.list_objects_errors, 0);
    assert.equal(n.copy_object, 1);
    assert.ok(n.delete_object! >= 2, `delete_object ${n.delete_object}`);
    assert.ok(n.head_object! >= 2, `head_object ${n.head_object}`);
    assert.ok(n.head_object_errors! >= 1, 'a missing object counts as a head error, as the SDK 404 does in SFTPGo');
    await fs.close();

    const bad = await reg.create(c.provider, { root, config: Object.values(c.config('m/', true))[0] });
    await assert.rejects(writeFile(bad, '/x.bin', Buffer.alloc(10)));
    await assert.rejects((async () => { for await (const _ of bad.list('/')) void _; })());
    const e = await counters(metrics, c.prefix);
    assert.equal(e.upload_errors_total, 1);
    assert.ok(e.list_objects_errors! >= 1, `list_objects_errors ${e.list_objects_errors}`);
    await bad.close();

    // The root of a store without key prefix is the bucket itself: stat checks that it exists.
    const bucketCheck = c.prefix === 'az' ? 'head_container' : 'head_bucket';
    assert.equal(e[bucketCheck], 0);
    const whole = await reg.create(c.provider, { root, config: Object.values(c.config(''))[0] });
    assert.equal((await whole.stat('/')).type, 'dir');
    const none = await reg.create(c.provider, { root, config: Object.values(c.config('', true))[0] });
    await assert.rejects(none.stat('/'), (err: Error & { kind?: string }) => err.kind === 'Failure' && /bucket or container does not exist/.test(err.message));
    const h = await counters(metrics, c.prefix);
    assert.equal(h[bucketCheck], 2);
    assert.equal(h[`${bucketCheck}_errors`], 1);
    await whole.close();
    await none.close();
  });
}
