/**
 * Native addons carried inside the single executable as SEA assets. `require` cannot load a
 * `.node` file from memory, so the bytes go to a fresh private directory (mkdtemp, mode 0700: no
 * other user can swap the file between write and load), `process.dlopen` maps them, and the
 * directory is removed at once (the mapping outlives the file on Linux). Nothing is left behind
 * and nothing shared is trusted. Any failure (noexec temp dir, asset missing, ABI mismatch) is a
 * reason, never a crash: the only addon is optional (ssh2 falls back to node:crypto).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sea from 'node:sea';

/** What loading an embedded addon gave: its exports, or why it could not be loaded. */
export type AddonLoad =
  | { ok: true; exports: Record<string, unknown> }
  | { ok: false; reason: string };

/** The part of `node:sea` used here (tests pass their own). */
export interface SeaAssets {
  isSea(): boolean;
  getRawAsset(key: string): string | ArrayBuffer;
}

function assetBytes(assets: SeaAssets, name: string): Uint8Array {
  const raw = assets.getRawAsset(name);
  return typeof raw === 'string' ? Buffer.from(raw) : new Uint8Array(raw);
}

/**
 * Loads the addon embedded under `name` (write to a private temp dir, dlopen, remove the dir).
 * `dir` is where the private directory is made (default: the OS temp dir, so TMPDIR moves it).
 */
export function loadEmbeddedAddon(name: string, assets: SeaAssets = sea, dir: string = tmpdir()): AddonLoad {
  if (!assets.isSea()) return { ok: false, reason: 'not running as the single executable' };
  let bytes: Uint8Array;
  try {
    bytes = assetBytes(assets, name);
  } catch {
    return { ok: false, reason: `${name} is not embedded in this executable` };
  }
  let privateDir: string | undefined;
  try {
    privateDir = mkdtempSync(join(dir, 'sftpgo-addon-'));
    const file = join(privateDir, name);
    writeFileSync(file, bytes, { mode: 0o700 });
    const mod = { exports: {} as Record<string, unknown> };
    process.dlopen(mod, file);
    return { ok: true, exports: mod.exports };
  } catch (err) {
    return { ok: false, reason: `cannot load ${name}: ${(err as Error).message}` };
  } finally {
    if (privateDir) rmSync(privateDir, { recursive: true, force: true });
  }
}

/**
 * ssh2's optional crypto binding as embedded in this executable, loaded once when this module is
 * first evaluated (dlopen is process-wide anyway); undefined when not running as the executable,
 * where ssh2 loads its own build from node_modules. The build routes ssh2's
 * `require('./crypto/build/Release/sshcrypto.node')` here (scripts/sea/bundle.mjs).
 */
export const embeddedSshCrypto: AddonLoad | undefined = sea.isSea() ? loadEmbeddedAddon('sshcrypto.node') : undefined;
