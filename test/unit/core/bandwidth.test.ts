/**
 * Bandwidth limits (INVENTORY §4.10) as a per-transfer token bucket. Assertions are on the waits the
 * throttle computes, read from an injected clock: no wall time involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Throttle, type ThrottleClock } from '../../../src/core/throttle.js';
import { makeEnv } from '../../integration/core/fixture.js';

const KB = 1024;

/** A fake clock: sleeping advances time and records the wait. */
function fakeClock(start = 1_000_000): ThrottleClock & { sleeps: number[]; t: number } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => { c.sleeps.push(ms); c.t += ms; },
  };
  return c;
}

test('throttle: a steady transfer waits until elapsed >= bytes / 1024 / limit', async () => {
  const clock = fakeClock();
  const th = new Throttle(100, clock);
  await th.consume(50 * KB);
  assert.deepEqual(clock.sleeps, [500]);
  clock.t += 1000;
  await th.consume(50 * KB);
  assert.deepEqual(clock.sleeps, [500], 'saved tokens cover it: no wait');
  await th.consume(200 * KB);
  assert.deepEqual(clock.sleeps, [500, 1500]);
  assert.equal(new Throttle(0, clock).reserve(1e12), 0, '0 = unlimited');
});

test('throttle: an idle transfer saves at most one second of traffic (bucket capacity)', () => {
  const clock = fakeClock();
  const th = new Throttle(100, clock);
  clock.t += 60_000; // idle for a minute
  assert.equal(th.reserve(100 * KB), 0, 'one second worth passes at once');
  assert.equal(th.reserve(100 * KB), 1000, 'the rest is paced again');
});

test('throttle: each transfer has its own bucket', () => {
  const clock = fakeClock();
  const a = new Throttle(10, clock);
  const b = new Throttle(10, clock);
  assert.equal(a.reserve(10 * KB), 1000);
  assert.equal(b.reserve(10 * KB), 1000);
});

test('bandwidth: uploads and downloads of a limited user are paced by the user limits', async () => {
  const clock = fakeClock();
  const env = await makeEnv({ user: { upload_bandwidth: 64, download_bandwidth: 32 }, clock });
  try {
    await mkdir(env.home, { recursive: true });
    await writeFile(path.join(env.home, 'dl'), Buffer.alloc(64 * KB));
    const c = await env.connect();
    const up = await c.openUpload('/f', { mode: 'truncate' });
    for (let i = 0; i < 4; i++) await up.write(Buffer.alloc(16 * KB), i * 16 * KB);
    await up.close();
    assert.deepEqual(clock.sleeps, [250, 250, 250, 250], '16 KiB at 64 KiB/s = 250 ms each');
    clock.sleeps.length = 0;
    const down = await c.openDownload('/dl');
    const buf = Buffer.alloc(32 * KB);
    assert.equal(await down.read(buf, 0), 32 * KB);
    assert.equal(await down.read(buf, 32 * KB), 32 * KB);
    await down.close();
    assert.deepEqual(clock.sleeps, [1000, 1000], '32 KiB at 32 KiB/s = 1 s each');
    assert.equal(c.status().active_transfers.length, 0);
  } finally {
    await env.cleanup();
  }
});

test('bandwidth: streamed downloads are paced and counted for the connections API', async () => {
  const clock = fakeClock();
  const env = await makeEnv({ user: { download_bandwidth: 1024 }, clock });
  try {
    await mkdir(env.home, { recursive: true });
    await writeFile(path.join(env.home, 'dl'), Buffer.alloc(3000));
    const c = await env.connect();
    const d = await c.openDownload('/dl', { offset: 1000 });
    let n = 0;
    for await (const chunk of d.stream() as AsyncIterable<Buffer>) n += chunk.length;
    assert.equal(n, 2000);
    assert.equal(c.status().active_transfers[0]!.size, 2000);
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(waited - (2000 / 1024 / 1024) * 1000) < 1e-6, `waited ${waited} ms`);
    await d.close();
  } finally {
    await env.cleanup();
  }
});

test('bandwidth: unlimited users never wait', async () => {
  const clock = fakeClock();
  const env = await makeEnv({ clock });
  try {
    const c = await env.connect();
    const up = await c.openUpload('/f', { mode: 'truncate' });
    await up.write(Buffer.alloc(1024 * KB), 0);
    await up.close();
    assert.deepEqual(clock.sleeps, []);
  } finally {
    await env.cleanup();
  }
});
