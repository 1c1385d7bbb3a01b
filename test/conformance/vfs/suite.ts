/**
 * The conformance suite of the Fs port (STYLE §6). Every backend runs it from its own test file:
 *
 *     runFsConformance('s3', makeS3Fs, { unavailable: emulatorUp ? undefined : 'minio not running' });
 *
 * `makeFs` returns a fresh, empty backend for each case. The suite asks one probe backend for its
 * declared features first and registers only the cases that apply (a case for an undeclared feature
 * is not a skipped test: the backend simply has nothing to prove there; the "features not declared
 * are refused" case covers the refusals). A backend whose service is missing passes `unavailable`,
 * which skips every case with that reason (and fails them under SFTPGO_TEST_REQUIRE_ALL=1, as CI runs).
 * Call it with `await` at the top of the test file, so every case is registered before the run.
 */
import { test } from 'node:test';
import type { Fs } from '../../../src/vfs/types.js';
import { assertAvailable, needs } from '../../helpers/require.js';
import { abortCases } from './cases-abort.js';
import { attrCases } from './cases-attrs.js';
import { basicCases } from './cases-basic.js';
import { confineCases } from './cases-confine.js';
import { handleCases } from './cases-handles.js';
import { listCases } from './cases-list.js';
import type { FsCase } from './helpers.js';

export type { FsCase } from './helpers.js';

export interface FsUnderTest {
  fs: Fs;
  cleanup(): Promise<void>;
}

export interface FsConformanceOptions {
  /** Why the backend's service cannot be reached (emulator down...); undefined when it can. */
  unavailable?: string;
}

/** Every case of the suite, in order. */
export const allFsCases: readonly FsCase[] = [
  ...basicCases, ...listCases, ...handleCases, ...attrCases, ...abortCases, ...confineCases,
];

/** Why a case does not apply to `fs`, or undefined when it does. */
function notApplicable(c: FsCase, name: string, fs: Fs): string | undefined {
  return c.need && !fs.features[c.need] ? `${name} does not declare ${c.need}` : c.skipIf?.(fs);
}

/** The cases that apply to the backend, judged on one probe instance. */
async function applicableCases(name: string, makeFs: () => Promise<FsUnderTest>): Promise<FsCase[]> {
  const probe = await makeFs();
  try {
    return allFsCases.filter((c) => notApplicable(c, name, probe.fs) === undefined);
  } finally {
    await probe.fs.close();
    await probe.cleanup();
  }
}

/** Registers the suite as node:test tests named `<name>: <case>` (every case when unavailable, skipped). */
export async function runFsConformance(name: string, makeFs: () => Promise<FsUnderTest>, opts: FsConformanceOptions = {}): Promise<void> {
  const available = opts.unavailable === undefined;
  const availability = needs(available, `${name}: ${opts.unavailable ?? ''}`);
  const cases = available ? await applicableCases(name, makeFs) : allFsCases;
  for (const c of cases) {
    test(`${name}: ${c.title}`, availability, async () => {
      assertAvailable(available, `${name}: ${opts.unavailable ?? ''}`);
      const u = await makeFs();
      try {
        await c.run(u.fs);
      } finally {
        await u.fs.close();
        await u.cleanup();
      }
    });
  }
}
