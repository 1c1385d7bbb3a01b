#!/usr/bin/env node
/**
 * Builds `dist/sftpgo`: one executable that runs without Node installed (Node's single executable
 * applications). Offline by design (LIBS.md): the Node binary comes from the npm registry's
 * `node-linux-<arch>` package (pinned version + sha256 of the tarball), the CLI is bundled by esbuild
 * into one CommonJS file, the sql.js wasm travels as a SEA asset, and postject injects the blob.
 *
 * Usage: node scripts/build-sea.mjs [--arch x64|arm64]
 * Fails when the bundle leaves a non-builtin module outside that is not a known optional one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire, isBuiltin } from 'node:module';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(new URL('..', import.meta.url).pathname);
// Pinned Node version and sha256 of each `node-linux-<arch>` npm tarball, checked before use.
const PINNED = JSON.parse(readFileSync(join(root, 'scripts', 'sea-node.json'), 'utf8'));
const NODE_VERSION = PINNED.version;
// Optional modules the bundle may leave out: ssh2 falls back to node:crypto without them; node-fetch 2
// (under the GCS SDK's gaxios) loads `encoding` in a try/catch, only for its unused textConverted().
const OPTIONAL_EXTERNALS = ['cpu-features', './crypto/build/Release/sshcrypto.node', 'encoding'];
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const arch = process.argv.includes('--arch') ? process.argv[process.argv.indexOf('--arch') + 1] : 'x64';
const cacheDir = join(root, '.cache', 'sea');
const outDir = join(root, 'dist');
const workDir = join(outDir, `sea-${arch}`);

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts }).toString();
}

/** Fetches and verifies the pinned Node binary for `arch`; returns its path. */
function nodeBinary() {
  const pkg = `node-linux-${arch}`;
  const dir = join(cacheDir, `${pkg}-${NODE_VERSION}`);
  const bin = join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tgzName = sh('npm', ['pack', `${pkg}@${NODE_VERSION}`, '--silent', '--pack-destination', dir]).trim().split('\n').pop();
  const tgz = join(dir, tgzName);
  const sum = createHash('sha256').update(readFileSync(tgz)).digest('hex');
  const expected = PINNED[arch]?.sha256;
  if (sum !== expected) throw new Error(`${tgzName}: sha256 ${sum} does not match the pinned ${expected}`);
  sh('tar', ['-xzf', tgz, '-C', dir]);
  return bin;
}

function gitCommit() {
  try {
    return sh('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).trim();
  } catch {
    return 'unknown';
  }
}

/** Bundles the CLI into one CommonJS file and checks what it left outside. */
async function bundle() {
  const esbuild = await import('esbuild');
  const out = join(workDir, 'sftpgo.cjs');
  const result = await esbuild.build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    metafile: true,
    logLevel: 'warning',
    external: OPTIONAL_EXTERNALS,
    // `import.meta.url` has no meaning in CommonJS: point it at the bundle file.
    define: {
      'import.meta.url': '__sftpgo_import_meta_url',
      'process.env.SFTPGO_BUILD_COMMIT': JSON.stringify(gitCommit()),
      'process.env.SFTPGO_BUILD_DATE': JSON.stringify(new Date().toISOString()),
      'process.env.SFTPGO_BUILD_SEA': '"1"',
    },
    banner: { js: 'const __sftpgo_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  // isBuiltin also knows the prefix-only built-ins (node:sea, node:test) that builtinModules omits.
  const leftOut = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path)) leftOut.add(imp.path);
  }
  const unexpected = [...leftOut].filter((p) => !OPTIONAL_EXTERNALS.includes(p));
  if (unexpected.length) throw new Error(`bundle leaves required modules outside: ${unexpected.join(', ')}`);
  return out;
}

async function main() {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const node = nodeBinary();
  const main = await bundle();
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  const seaConfig = join(workDir, 'sea-config.json');
  const blob = join(workDir, 'sea-prep.blob');
  writeFileSync(seaConfig, JSON.stringify({
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets: { 'sql-wasm.wasm': wasm },
  }, null, 2));
  // The blob must be made by the same Node that will run it (cross-arch needs qemu-user).
  sh(node, ['--experimental-sea-config', seaConfig]);
  const target = join(outDir, arch === 'x64' ? 'sftpgo' : `sftpgo-linux-${arch}`);
  copyFileSync(node, target);
  chmodSync(target, 0o755);
  try {
    sh('strip', [target]);
  } catch {
    // strip is optional: the binary is only larger without it.
  }
  sh(process.execPath, [require.resolve('postject/dist/cli.js'), target, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
  const size = readFileSync(target).length;
  console.log(`built ${target} (${(size / 1048576).toFixed(1)} MiB, node ${NODE_VERSION}, ${arch})`);
}

main().catch((err) => {
  console.error(`build-sea: ${err.message}`);
  process.exit(1);
});
