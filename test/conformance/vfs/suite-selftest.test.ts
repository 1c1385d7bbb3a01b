/**
 * The conformance suite must be able to fail: a few deliberately broken backends (built on local)
 * are run through selected cases, which must reject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFs } from '../../../src/vfs/local/index.js';
import type { CallOptions, Fs } from '../../../src/vfs/types.js';
import { allFsCases } from './suite.js';

async function withRoot(fn: (root: string, base: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-selftest-'));
  const root = path.join(base, 'a', 'b', 'c', 'root');
  await mkdir(root, { recursive: true });
  try {
    await fn(root, base);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** Wraps every method of `inner`, letting `tweak` rewrite the arguments. */
function wrap(inner: Fs, tweak: (args: unknown[]) => unknown[], over: Partial<Fs> = {}): Fs {
  const out: Record<string, unknown> = { name: inner.name, description: inner.description, features: inner.features };
  for (const k of ['stat', 'lstat', 'list', 'openRead', 'openWrite', 'mkdir', 'remove', 'rmdir', 'rename', 'symlink', 'readlink',
    'setStat', 'statfs', 'ensureRoot', 'localPath', 'link', 'close'] as const) {
    const fn = inner[k] as ((...a: unknown[]) => unknown) | undefined;
    if (fn) out[k] = (...a: unknown[]) => fn.apply(inner, tweak(a));
  }
  return { ...(out as unknown as Fs), ...over };
}

const stripSignal = (args: unknown[]) => args.map((a) => (a && typeof a === 'object' && 'signal' in a ? { ...(a as CallOptions), signal: undefined } : a));

async function mustFail(title: string, fs: Fs): Promise<void> {
  const c = allFsCases.find((x) => x.title === title);
  assert.ok(c, `no case "${title}"`);
  await assert.rejects(c.run(fs), `"${title}" passed on a broken backend`);
}

test('conformance self-test: a backend ignoring AbortSignal fails the abort cases', async () => {
  await withRoot(async (root) => {
    const fs = wrap(new LocalFs({ root, config: undefined }), stripSignal);
    await mustFail('a pre-aborted signal stops every call before it acts', fs);
  });
});

test('conformance self-test: an unconfined backend fails the confinement cases', async () => {
  await withRoot(async (root) => {
    // Joins paths to the root without normalising them first, as a naive backend would.
    const host = new LocalFs({ root: '/', config: undefined });
    const fs = wrap(host, (args) => args.map((a) => (typeof a === 'string' && a.startsWith('/') ? `${root}${a}` : a)));
    await mustFail('dot-dot, absolute and doubled slashes resolve inside the root', fs);
  });
});

test('conformance self-test: a backend lying about its features fails the refusal case', async () => {
  await withRoot(async (root) => {
    const local = new LocalFs({ root, config: undefined });
    const fs = wrap(local, (a) => a, { features: { ...local.features, chmod: false } });
    await mustFail('features not declared are refused with NotSupported', fs);
  });
});

test('conformance self-test: a listing yielding dot entries fails the listing case', async () => {
  await withRoot(async (root) => {
    const local = new LocalFs({ root, config: undefined });
    const fs = wrap(local, (a) => a, {
      async *list(p: string, o?: CallOptions) {
        yield { name: '.', type: 'dir', size: 0, mode: 0o755, mtime: new Date() };
        yield* local.list(p, o);
      },
    });
    await mustFail('listing is streamed: an async iterator that can be left early and listed again', fs);
  });
});
