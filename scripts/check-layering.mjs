#!/usr/bin/env node
// Enforces DESIGN.md's dependency rule: cli -> app -> protocols -> core -> ports; backends and providers
// depend only on their own port and util; core never imports a protocol library; a protocol never
// imports a concrete backend or provider. Beyond the protocol-library deny list, the core may import
// only node: builtins and an allow list of small pure-JS packages, so a protocol library cannot slip in
// under a name the deny list does not know. Prints every violation and exits 1 when there is one.
// Usage: node scripts/check-layering.mjs [project-root] (the root defaults to this repository).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? new URL('..', import.meta.url).pathname);
const src = join(root, 'src');
const PROTOCOL_LIBS = ['ssh2', 'ftp-srv', 'webdav-server', 'koa', '@koa/router', 'jose', 'fast-xml-parser', 'prom-client', 'yazl', 'bonjour-service'];
const PROVIDER_IMPLS = ['sqljs', 'memory', 'postgres', 'mysql', 'sql'];
const PORT_FILES = new Set(['types.ts', 'models.ts', 'registry.ts']);
/** Packages the core may use (logging types, glob matching, IP parsing); anything else is a review decision. */
const CORE_PACKAGES = ['pino', 'picomatch', 'ipaddr.js'];

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(text) {
  const out = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (let m; (m = re.exec(text)); ) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Top-level area of a src file: cli, app, protocols, core, vfs, dataprovider, config, kms, logger, util. */
const area = (file) => relative(src, file).split(sep)[0];
const sub = (file) => relative(src, file).split(sep)[1] ?? '';

const violations = [];
for (const file of files(src)) {
  const from = area(file);
  for (const spec of imports(readFileSync(file, 'utf8'))) {
    const rel = relative(root, file);
    if (!spec.startsWith('.')) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      // The SFTP storage backend is an SSH client: ssh2 is its transport, not a protocol server.
      const sftpBackendClient = from === 'vfs' && sub(file) === 'sftp' && pkg === 'ssh2';
      if (['core', 'vfs', 'dataprovider', 'config', 'util', 'kms'].includes(from) && PROTOCOL_LIBS.includes(pkg) && !sftpBackendClient) {
        violations.push(`${rel}: ${from} must not import protocol library '${spec}'`);
      } else if (from === 'core' && !spec.startsWith('node:') && !CORE_PACKAGES.includes(pkg)) {
        violations.push(`${rel}: core may import only node: builtins and ${CORE_PACKAGES.join(', ')}, not '${spec}'`);
      }
      continue;
    }
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (!target.startsWith(src)) continue;
    const to = area(target);
    const check = (cond, why) => cond && violations.push(`${rel}: imports ${relative(root, target)} (${why})`);
    check(['util'].includes(from) && to !== 'util', 'util depends on nothing');
    check(from === 'core' && ['protocols', 'app', 'cli'].includes(to), 'core must not depend on protocols/app/cli');
    check(['vfs', 'dataprovider'].includes(from) && ['core', 'protocols', 'app', 'cli'].includes(to), 'ports depend only on themselves, util, config types and kms');
    // app/context.ts is the shared AppContext contract (TEAM.md) that protocols receive: allowed.
    const isContextContract = relative(src, target) === join('app', 'context.ts');
    check(from === 'protocols' && ['app', 'cli'].includes(to) && !isContextContract, 'protocols must not depend on app/cli');
    check(from === 'protocols' && to === 'vfs' && !PORT_FILES.has(target.split(sep).pop()), 'a protocol must not import a concrete backend');
    check(from === 'protocols' && to === 'dataprovider' && PROVIDER_IMPLS.includes(sub(target)), 'a protocol must not import a concrete provider');
    check(from === 'core' && to === 'vfs' && !['types.ts', 'registry.ts'].includes(target.split(sep).pop()) && sub(target) !== 'types.ts', 'core uses backends through the registry');
    check(from === 'core' && to === 'dataprovider' && PROVIDER_IMPLS.includes(sub(target)), 'core must not import a concrete provider');
    // A backend folder depends only on its own folder, the vfs port/shared code and util.
    if (from === 'vfs' && to === 'vfs' && sub(file).indexOf('.') < 0 && sub(target).indexOf('.') < 0) {
      check(sub(file) !== sub(target) && sub(target) !== 'shared', 'backends must not import each other');
    }
  }
}
if (violations.length) {
  console.error(`layering check: ${violations.length} violation(s)`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log('layering check: ok');
