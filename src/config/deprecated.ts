/**
 * Deprecated keys SFTPGo v2.1.2 still reads (INVENTORY §1.4): `<service>.bind_port/bind_address`
 * (plus ftpd `force_passive_ip/tls_mode`) replace `bindings` with one binding when the port is
 * > 0; a few old sftpd/data_provider keys are parsed but ignored (with a warning here).
 */
import type { FieldProblem } from '../util/errors.js';
import {
  defaultFtpdBinding, defaultHttpdBinding, defaultSftpdBinding, defaultWebdavdBinding,
} from './defaults.js';
import { isPlainObject, type Tree } from './merge.js';

/** Deprecated binding keys per service, with the binding factory they fill. */
const BINDING_KEYS: Readonly<Record<string, { keys: Readonly<Record<string, string>>; make: () => object }>> = {
  sftpd: { keys: { bind_port: 'port', bind_address: 'address' }, make: defaultSftpdBinding },
  ftpd: {
    keys: { bind_port: 'port', bind_address: 'address', force_passive_ip: 'force_passive_ip', tls_mode: 'tls_mode' },
    make: defaultFtpdBinding,
  },
  webdavd: { keys: { bind_port: 'port', bind_address: 'address' }, make: defaultWebdavdBinding },
  httpd: { keys: { bind_port: 'port', bind_address: 'address' }, make: defaultHttpdBinding },
};

/** Old keys parsed but ignored. */
const IGNORED: Readonly<Record<string, readonly string[]>> = {
  sftpd: ['idle_timeout', 'upload_mode', 'actions', 'keys', 'setstat_mode', 'proxy_protocol', 'proxy_allowed'],
  data_provider: ['external_auth_program', 'pre_login_program'],
};

/** Every deprecated key path (`sftpd.bind_port`...), for the env parser. */
export function deprecatedPaths(): string[] {
  const out: string[] = [];
  for (const [svc, d] of Object.entries(BINDING_KEYS)) out.push(...Object.keys(d.keys).map((k) => `${svc}.${k}`));
  return out;
}

/**
 * Removes deprecated keys from `raw` (a parsed layer, mutated) and applies the still-honoured
 * ones to `target` (the merged tree). Call after merging the rest of the same layer.
 */
export function applyDeprecated(target: Tree, raw: Tree, warnings: string[], problems: FieldProblem[]): void {
  for (const [svc, keys] of Object.entries(IGNORED)) {
    const section = raw[svc];
    if (!isPlainObject(section)) continue;
    for (const k of keys.filter((x) => x in section)) {
      warnings.push(`config key ${svc}.${k} is deprecated and ignored`);
      delete section[k];
    }
  }
  for (const [svc, d] of Object.entries(BINDING_KEYS)) {
    const section = raw[svc];
    if (isPlainObject(section)) applyBinding(svc, section, d, target, warnings, problems);
  }
}

/** Removes deprecated keys from a raw layer without applying them (before the generic merge). */
export function takeDeprecated(raw: Tree): Tree {
  const taken: Tree = {};
  const all: [string, readonly string[]][] = [
    ...Object.entries(BINDING_KEYS).map(([s, d]): [string, string[]] => [s, Object.keys(d.keys)]),
    ...Object.entries(IGNORED),
  ];
  for (const [svc, keys] of all) {
    const section = raw[svc];
    if (!isPlainObject(section)) continue;
    for (const k of keys.filter((x) => x in section)) {
      ((taken[svc] ??= {}) as Tree)[k] = section[k];
      delete section[k];
    }
  }
  return taken;
}

function applyBinding(
  svc: string, section: Tree, d: (typeof BINDING_KEYS)[string], target: Tree, warnings: string[], problems: FieldProblem[],
): void {
  const present = Object.keys(d.keys).filter((k) => k in section);
  if (present.length === 0) return;
  warnings.push(`config keys ${present.map((k) => `${svc}.${k}`).join(', ')} are deprecated: use ${svc}.bindings`);
  const port = section.bind_port;
  if (port !== undefined && !Number.isSafeInteger(port)) {
    problems.push({ field: `${svc}.bind_port`, message: 'must be an integer' });
    return;
  }
  if (typeof port === 'number' && port > 0) {
    const binding = d.make() as Tree;
    for (const [oldKey, newKey] of Object.entries(d.keys)) if (oldKey in section) binding[newKey] = section[oldKey];
    (target[svc] as Tree).bindings = [binding];
  }
}
