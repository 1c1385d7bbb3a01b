/**
 * ssh2's optional native binding (`sshcrypto.node`: AES-GCM and chacha20-poly1305 through the
 * OpenSSL inside Node) built for the embedded Node, so the single executable can carry it as an
 * asset (LIBS.md: without it SSH costs 1.8-2.6x OpenSSH's CPU). Built offline with npm's own
 * node-gyp against the headers of the pinned `node-linux-<arch>` package (`--nodedir`), cross
 * compiled for a foreign arch, then proven by loading it in that exact Node (qemu for foreign).
 * Failure is not fatal: the executable then works without it (ssh2 falls back to node:crypto).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hostArch, runFor, sh } from './node-dist.mjs';

const require = createRequire(import.meta.url);
/** The classes ssh2's crypto.js takes from the binding. */
const EXPECTED = ['AESGCMCipher', 'ChaChaPolyCipher', 'GenericCipher', 'AESGCMDecipher', 'ChaChaPolyDecipher', 'GenericDecipher'];
/** GNU cross toolchains by Node arch (Debian: g++-aarch64-linux-gnu). */
const CROSS_PREFIX = { arm64: 'aarch64-linux-gnu-', x64: 'x86_64-linux-gnu-' };

/** npm's bundled node-gyp (always there with npm), else one on PATH. */
function nodeGyp() {
  try {
    const npmRoot = sh('npm', ['root', '-g']).trim();
    const bundled = join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(bundled)) return [process.execPath, bundled];
  } catch {
    // fall through to PATH
  }
  return ['node-gyp'];
}

/** Compiler settings: the host's for the host arch, else the GNU cross toolchain. */
function toolchainEnv(arch) {
  if (arch === hostArch) return {};
  const p = CROSS_PREFIX[arch];
  if (!p) throw new Error(`no cross toolchain known for ${arch}`);
  sh('sh', ['-c', `command -v ${p}g++`]);
  return { CC: `${p}gcc`, CXX: `${p}g++`, LINK: `${p}g++`, AR: `${p}ar` };
}

/** True when `file` loads in the target Node and exports every class ssh2 uses. */
function loadsIn(arch, nodeBin, file) {
  const probe = `const m={exports:{}};process.dlopen(m,${JSON.stringify(file)});` +
    `const miss=${JSON.stringify(EXPECTED)}.filter((k)=>typeof m.exports[k]!=='function');` +
    'if(miss.length){console.error("missing "+miss.join(","));process.exit(1)}';
  try {
    runFor(arch, nodeBin, ['-e', probe]);
    return true;
  } catch {
    return false;
  }
}

function compile(arch, nodeBin, pkgDir, work, root) {
  const src = join(dirname(require.resolve('ssh2/package.json')), 'lib', 'protocol', 'crypto');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  copyFileSync(join(src, 'binding.gyp'), join(work, 'binding.gyp'));
  cpSync(join(src, 'src'), join(work, 'src'), { recursive: true });
  // ssh2's install.js passes the OpenSSL major of the Node it builds for; ask that Node.
  const openssl = runFor(arch, nodeBin, ['-p', 'process.versions.openssl']).trim();
  const [gyp, ...gypArgs] = nodeGyp();
  const env = { ...process.env, ...toolchainEnv(arch), NODE_PATH: join(root, 'node_modules') };
  sh(gyp, [...gypArgs, 'rebuild', `--nodedir=${pkgDir}`, `--arch=${arch}`, `--real_openssl_major=${openssl.split('.')[0]}`, '--loglevel=warn'],
    { cwd: work, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Builds (or reuses from the cache) sshcrypto.node for `arch`; returns its path, or null with the
 * reason printed when it cannot be built or does not load in the embedded Node.
 */
export function buildSshCrypto({ arch, nodeBin, pkgDir, cacheDir, root, nodeVersion }) {
  const ssh2Version = JSON.parse(readFileSync(require.resolve('ssh2/package.json'), 'utf8')).version;
  const work = join(cacheDir, `sshcrypto-${arch}-node${nodeVersion}-ssh2-${ssh2Version}`);
  const file = join(work, 'build', 'Release', 'sshcrypto.node');
  if (existsSync(file) && loadsIn(arch, nodeBin, file)) return file;
  try {
    compile(arch, nodeBin, pkgDir, work, root);
  } catch (err) {
    console.warn(`build-sea: sshcrypto.node for ${arch} not built (${err.message.split('\n')[0]}); shipping without it`);
    return null;
  }
  if (!loadsIn(arch, nodeBin, file)) {
    console.warn(`build-sea: sshcrypto.node for ${arch} does not load in Node ${nodeVersion}; shipping without it`);
    return null;
  }
  return file;
}
