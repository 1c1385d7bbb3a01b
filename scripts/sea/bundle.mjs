/**
 * The esbuild bundle of the CLI: one CommonJS file for Node's single executable applications,
 * where `require` reaches Node built-ins only. So the build fails when anything else is left
 * outside, except modules known to be optional (their callers catch the failed require).
 *
 * ssh2's optional binding is the one seam: ssh2 1.17's lib/protocol/crypto.js does
 * `try { binding = require('./crypto/build/Release/sshcrypto.node') } catch {}`. A plugin resolves
 * that require to a small loader that hands over the binding embedded in the executable
 * (src/util/sea-addon.ts) or throws, which ssh2 already treats as "no binding". ssh2's code stays
 * untouched; the build fails if that require ever disappears, so the seam cannot rot silently.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/**
 * Optional modules the bundle may leave out: ssh2 only uses cpu-features to order its ciphers;
 * node-fetch 2 (under the GCS SDK's gaxios) loads `encoding` in a try/catch, only for its unused
 * textConverted(); pg requires pg-native only when `pg.native` is read (lazy getter), which this
 * code never does.
 */
export const OPTIONAL_EXTERNALS = ['cpu-features', 'encoding', 'pg-native'];

const SSHCRYPTO_REQUIRE = /[\\/]crypto[\\/]build[\\/]Release[\\/]sshcrypto\.node$/;
const SSHCRYPTO_IMPORTER = /node_modules[\\/]ssh2[\\/]lib[\\/]protocol[\\/]crypto\.js$/;

const LOADER = `// ssh2's optional binding, from the executable's embedded asset (see src/util/sea-addon.ts).
const { embeddedSshCrypto } = require('./sea-addon.ts');
if (!embeddedSshCrypto) throw new Error('not running as the single executable');
if (!embeddedSshCrypto.ok) throw new Error(embeddedSshCrypto.reason);
module.exports = embeddedSshCrypto.exports;
`;

/** Resolves ssh2's binding require to the loader; records who asked, so the build can check. */
export function sshCryptoSeam(root, importers) {
  return {
    name: 'sftpgo-sshcrypto-seam',
    setup(build) {
      build.onResolve({ filter: SSHCRYPTO_REQUIRE }, (args) => {
        importers.push(args.importer);
        return { path: 'sshcrypto-loader', namespace: 'sftpgo-sshcrypto' };
      });
      build.onLoad({ filter: /.*/, namespace: 'sftpgo-sshcrypto' }, () => ({
        contents: LOADER, loader: 'js', resolveDir: join(root, 'src', 'util'),
      }));
    },
  };
}

/**
 * The commit baked into `--version`: `git describe --always --dirty` of the tree (as SFTPGo's
 * build does, tags ignored so it is always a hash), or SFTPGO_BUILD_COMMIT for builds outside git.
 */
export function buildCommit(root) {
  if (process.env.SFTPGO_BUILD_COMMIT) return process.env.SFTPGO_BUILD_COMMIT;
  try {
    return execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=7', '--exclude=*'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim();
  } catch {
    throw new Error('cannot read the git commit: build from a git checkout or set SFTPGO_BUILD_COMMIT');
  }
}

/** UTC build date as SFTPGo prints it (`date -u +%FT%TZ`); SOURCE_DATE_EPOCH makes it reproducible. */
export function buildDate() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const d = epoch ? new Date(Number(epoch) * 1000) : new Date();
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Non-builtin modules the bundle still requires at run time. */
function leftOutside(metafile) {
  const out = new Set();
  for (const input of Object.values(metafile.inputs)) {
    // isBuiltin also knows the prefix-only built-ins (node:sea, node:test) that builtinModules omits.
    for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path)) out.add(imp.path);
  }
  return [...out];
}

/**
 * `require(expr)` / `import(expr)` with a computed name: esbuild leaves them as they are, so the
 * executable could not satisfy them. esbuild's own analysis reports them (as `unsupported-*`
 * messages, raised to warnings by the build's logOverride); none may remain.
 */
export function computedRequires(warnings) {
  return warnings
    .filter((w) => w.id === 'unsupported-require-call' || w.id === 'unsupported-dynamic-import')
    .map((w) => `${w.location?.file}:${w.location?.line}: ${w.location?.lineText?.trim().slice(0, 100)}`)
    .filter((found) => !KNOWN_OPTIONAL_COMPUTED.some((re) => re.test(found)));
}

/**
 * Computed requires known to be optional (inside a try/catch with a fallback): mysql2 hides its
 * optional `cardinal` (debug highlighting) from bundlers this way.
 */
const KNOWN_OPTIONAL_COMPUTED = [/node_modules\/mysql2\/lib\/helpers\.js:\d+: .*require\(`cardinal\$\{/];

/**
 * Modules loaded through a `require` made by `createRequire(...)`: esbuild does not follow them,
 * and inside the executable they resolve against the executable's own path, which works only
 * while a node_modules happens to sit above it (in the repo) and fails once installed. Returns
 * the non-builtin names such functions are called with.
 */
export function createdRequires(code) {
  const found = [];
  // `var r = createRequire(...)`, and esbuild's hoisted form `r = (0, import_x.createRequire)(...)`.
  const makers = /(?<![\w$.])([\w$]+)\s*=\s*(?:\(0,\s*)?[\w$.]*createRequire\d*\)?\(/g;
  for (let m; (m = makers.exec(code)); ) {
    const calls = new RegExp(`(?<![\\w$.])${m[1].replace(/\$/g, '\\$')}\\(\\s*["'\`]([^"'\`]+)["'\`]`, 'g');
    for (let c; (c = calls.exec(code)); ) if (!isBuiltin(c[1])) found.push(`${m[1]}("${c[1]}")`);
  }
  return found;
}

/**
 * When ssh2's crypto.js is bundled, its binding require must have gone through the seam; else an
 * ssh2 update moved it and the executable would silently lose the binding.
 */
export function checkSeam(metafile, importers) {
  const ssh2Crypto = Object.keys(metafile.inputs).some((p) => SSHCRYPTO_IMPORTER.test(p));
  if (ssh2Crypto && !importers.some((i) => SSHCRYPTO_IMPORTER.test(i))) {
    throw new Error('ssh2 no longer requires ./crypto/build/Release/sshcrypto.node from lib/protocol/crypto.js: update the seam in scripts/sea/bundle.mjs');
  }
  return ssh2Crypto;
}

/** Bundles src/cli/main.ts into `outfile`; throws when a required module stays outside. */
export async function bundle({ root, outfile, commit, date }) {
  const esbuild = await import('esbuild');
  const importers = [];
  const result = await esbuild.build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    outfile,
    metafile: true,
    logLevel: 'warning',
    // esbuild knows which require()/import() calls it could not follow; raise them so we see them.
    logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning' },
    external: OPTIONAL_EXTERNALS,
    plugins: [sshCryptoSeam(root, importers)],
    // `import.meta.url` has no meaning in CommonJS: point it at the bundle file.
    define: {
      'import.meta.url': '__sftpgo_import_meta_url',
      'process.env.SFTPGO_BUILD_COMMIT': JSON.stringify(commit),
      'process.env.SFTPGO_BUILD_DATE': JSON.stringify(date),
      'process.env.SFTPGO_BUILD_SEA': '"1"',
    },
    banner: { js: 'const __sftpgo_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  const unexpected = leftOutside(result.metafile).filter((p) => !OPTIONAL_EXTERNALS.includes(p));
  if (unexpected.length) throw new Error(`bundle leaves required modules outside: ${unexpected.join(', ')}`);
  const computed = computedRequires(result.warnings);
  if (computed.length) throw new Error(`bundle has requires of computed names:\n  ${computed.join('\n  ')}`);
  const created = createdRequires(readFileSync(outfile, 'utf8'));
  if (created.length) {
    throw new Error(`bundle loads modules through createRequire, which the executable cannot resolve (use a static import): ${created.join(', ')}`);
  }
  checkSeam(result.metafile, importers);
  return result.metafile;
}
