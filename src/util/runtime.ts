/**
 * Facts about how the process runs: from source/build (ESM, `import.meta.url` set) or bundled
 * inside the single executable (CommonJS, where esbuild leaves `import.meta` empty). The only
 * file of `src/` allowed to touch `import.meta`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when running bundled (no module URL: single executable or CommonJS bundle). */
export function isBundled(): boolean {
  // The SEA build defines SFTPGO_BUILD_SEA; any CommonJS bundle also has no module URL.
  return process.env.SFTPGO_BUILD_SEA === '1' || typeof import.meta?.url !== 'string';
}

/**
 * Directory holding the product's own files (templates, static): the package root when run from
 * source or `build/`, the executable's directory when bundled.
 */
export function installDir(): string {
  if (isBundled()) return path.dirname(process.execPath);
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/util or build/util -> package root (build/ may also be build/src/util).
  const up = here.split(path.sep).includes('src') && here.includes(`${path.sep}build${path.sep}`) ? '../../..' : '../..';
  return path.resolve(here, up);
}

/**
 * An asset embedded in the single executable (`assets` of the SEA config), or undefined when not
 * running as one — callers then read the file from node_modules as usual.
 */
export async function seaAsset(name: string): Promise<ArrayBuffer | undefined> {
  try {
    const sea = await import('node:sea');
    return sea.isSea() ? sea.getAsset(name) : undefined;
  } catch {
    return undefined;
  }
}
