/**
 * The Node binaries the single executable is made of: the official Linux builds republished on the
 * npm registry as `node-linux-<arch>` (fetched with `npm pack`, so the build needs no other
 * download), pinned by version and sha256 in scripts/sea-node.json. The package also carries
 * `include/node` (headers of that exact Node, OpenSSL's included), which native addons build against.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's qemu-user-static and the sysroot of the arm64 cross packages (libc6-arm64-cross...). */
const FOREIGN = {
  arm64: { qemu: 'qemu-aarch64-static', sysroot: '/usr/aarch64-linux-gnu' },
  x64: { qemu: 'qemu-x86_64-static', sysroot: '/usr/x86_64-linux-gnu' },
};

/** Runs a command, returns its stdout; stderr goes to ours. */
export function sh(cmd, args, opts = {}) {
  const out = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20, ...opts });
  return out ? out.toString() : '';
}

/** The pinned versions (scripts/sea-node.json). */
export function readPins(root) {
  return JSON.parse(readFileSync(join(root, 'scripts', 'sea-node.json'), 'utf8'));
}

/**
 * Fetches, verifies and unpacks `node-linux-<arch>@<pinned>` once into the cache.
 * Returns the package dir (headers for node-gyp's --nodedir) and its `bin/node`.
 */
export function nodePackage(pins, arch, cacheDir) {
  const pkg = pins[arch]?.package;
  if (!pkg) throw new Error(`no pinned Node package for arch "${arch}" in scripts/sea-node.json`);
  const dir = join(cacheDir, `${pkg}-${pins.version}`);
  const pkgDir = join(dir, 'package');
  const bin = join(pkgDir, 'bin', 'node');
  if (existsSync(bin)) return { pkgDir, bin };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tgzName = sh('npm', ['pack', `${pkg}@${pins.version}`, '--silent', '--pack-destination', dir]).trim().split('\n').pop();
  const tgz = join(dir, tgzName);
  const sum = createHash('sha256').update(readFileSync(tgz)).digest('hex');
  if (sum !== pins[arch].sha256) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${tgzName}: sha256 ${sum} does not match the pinned ${pins[arch].sha256}`);
  }
  sh('tar', ['-xzf', tgz, '-C', dir]);
  rmSync(tgz);
  return { pkgDir, bin };
}

/** Node's name for the machine we build on. */
export const hostArch = process.arch;

/**
 * How to run a binary of `arch` here: directly on the same arch, else through qemu-user with the
 * cross sysroot (the SEA blob must be produced by the very Node that will run it).
 */
export function runnerFor(arch) {
  if (arch === hostArch) return [];
  const foreign = FOREIGN[arch];
  if (!foreign) throw new Error(`cannot run ${arch} binaries on ${hostArch}`);
  try {
    sh('sh', ['-c', `command -v ${foreign.qemu}`]);
  } catch {
    throw new Error(`${foreign.qemu} is needed to build for ${arch} on ${hostArch} (Debian: qemu-user-static)`);
  }
  if (!existsSync(join(foreign.sysroot, 'lib'))) {
    throw new Error(`${foreign.sysroot} is missing: install the ${arch} cross libraries (Debian: g++-aarch64-linux-gnu)`);
  }
  return [foreign.qemu, '-L', foreign.sysroot];
}

/** Runs `bin args` for `arch` (through qemu when foreign). */
export function runFor(arch, bin, args, opts = {}) {
  const [cmd, ...pre] = [...runnerFor(arch), bin];
  return sh(cmd, [...pre, ...args], opts);
}
