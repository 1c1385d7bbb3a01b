/**
 * The conformance suite of the Fs port (STYLE §6). Every backend runs it from its own test file:
 *
 *     runFsConformance('s3', makeS3Fs, { unavailable: emulatorUp ? undefined : 'minio not running' });
 *
 * `makeFs` returns a fresh, empty backend for each case. Cases needing a feature the backend does not
 * declare are skipped with the reason; a backend whose service is missing passes `unavailable`, which
 * skips every case with that reason (and fails them under SFTPGO_TEST_REQUIRE_ALL=1, as CI runs).
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

/** Registers the whole suite as node:test tests named `<name>: <case>`. */
export function runFsConformance(name: string, makeFs: () => Promise<FsUnderTest>, opts: FsConformanceOptions = {}): void {
  const availability = needs(opts.unavailable === undefined, `${name}: ${opts.unavailable ?? ''}`);
  for (const c of allFsCases) {
    test(`${name}: ${c.title}`, availability, async (t) => {
      assertAvailable(opts.unavailable === undefined, `${name}: ${opts.unavailable ?? ''}`);
      const u = await makeFs();
      try {
        const reason = c.need && !u.fs.features[c.need] ? `${name} does not declare ${c.need}` : c.skipIf?.(u.fs);
        if (reason) {
          t.skip(reason);
          return;
        }
        await c.run(u.fs);
      } finally {
        await u.fs.close();
        await u.cleanup();
      }
    });
  }
}
