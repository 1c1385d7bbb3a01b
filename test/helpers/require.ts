/**
 * Skips a test when a peer (client binary, database, emulator) is missing, with the reason.
 * With SFTPGO_TEST_REQUIRE_ALL=1 (CI) a missing peer is a failure instead: the test runs and fails
 * at its first step with the reason, so CI never passes on skipped coverage.
 */
import { execFileSync } from 'node:child_process';

export const requireAll = process.env.SFTPGO_TEST_REQUIRE_ALL === '1';

/** Options for `test(name, opts, fn)`: `{}` when available, `{ skip: reason }` otherwise (never skips under CI). */
export function needs(available: boolean, reason: string): { skip?: string } {
  if (available || requireAll) return {};
  return { skip: reason };
}

/** Throws (under CI) when the peer is missing, so the test fails with the reason. */
export function assertAvailable(available: boolean, reason: string): void {
  if (!available) throw new Error(`required peer missing: ${reason}`);
}

const binCache = new Map<string, boolean>();

/** True when `name` is an executable on PATH. */
export function hasBinary(name: string): boolean {
  let found = binCache.get(name);
  if (found === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    binCache.set(name, found);
  }
  return found;
}

/** `test()` options for tests that drive the given client binaries. */
export function needsBinaries(...names: string[]): { skip?: string } {
  const missing = names.filter((n) => !hasBinary(n));
  return needs(missing.length === 0, `missing client binaries: ${missing.join(', ')}`);
}
