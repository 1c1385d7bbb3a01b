/**
 * PostgreSQL connection settings from the `data_provider` section, as SFTPGo v2.1.2 builds them:
 * host, port, name (database), username, password, `sslmode` 0 disable, 1 require, 2 verify-ca,
 * 3 verify-full, a 10 s connect timeout. A `connection_string` replaces all of them; it is read as
 * lib/pq (SFTPGo's driver) reads one: `key=value` pairs (values may be single-quoted) or a
 * `postgres://` URL, with lib/pq's default `sslmode=require` when none is given.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { invalidInput } from '../../util/errors.js';

/** The libpq-style settings a pool is built from. */
export interface PgSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** Seconds; 0 waits forever. */
  connectTimeout: number;
  applicationName?: string;
}

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
const KEYWORDS = new Set(['host', 'port', 'dbname', 'user', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey',
  'connect_timeout', 'application_name', 'fallback_application_name']);

/** SFTPGo's `sslmode` number for PostgreSQL. */
export function pgSslMode(n: number): PgSettings['sslmode'] {
  const mode = SSL_MODES[n];
  if (!mode) throw invalidInput(`data_provider.sslmode ${n} is not valid for PostgreSQL (0 disable, 1 require, 2 verify-ca, 3 verify-full)`);
  return mode;
}

/** Reads a libpq `key=value` connection string (values quoted with '...' may hold spaces; `\` escapes). */
export function parseKeywordValue(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z_]+)\s*=\s*('((?:[^'\\]|\\.)*)'|(\S*))/y;
  let rest = s.trim();
  while (rest) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m) throw invalidInput(`data_provider.connection_string: cannot read "${rest.slice(0, 30)}" (expected key=value)`);
    out.set(m[1]!, m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4]!);
    rest = rest.slice(m[0].length).trim();
  }
  return out;
}

/** Reads a `postgres://user:password@host:port/dbname?key=value` URL into libpq keywords. */
export function parsePgUrl(s: string): Map<string, string> {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw invalidInput('data_provider.connection_string is not a valid postgres:// URL');
  }
  const out = new Map<string, string>();
  const set = (k: string, v: string) => { if (v) out.set(k, v); };
  set('host', decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'));
  set('port', url.port);
  set('user', decodeURIComponent(url.username));
  set('password', decodeURIComponent(url.password));
  set('dbname', decodeURIComponent(url.pathname.replace(/^\//, '')));
  for (const [k, v] of url.searchParams) out.set(k, v);
  return out;
}

function fromKeywords(kv: Map<string, string>): PgSettings {
  const unknown = [...kv.keys()].filter((k) => !KEYWORDS.has(k));
  if (unknown.length) throw invalidInput(`data_provider.connection_string: unsupported keyword(s) ${unknown.join(', ')} (supported: ${[...KEYWORDS].join(', ')})`);
  const sslmode = kv.get('sslmode') ?? 'require';
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw invalidInput(`data_provider.connection_string: sslmode "${sslmode}" is not supported (${SSL_MODES.join(', ')})`);
  }
  const int = (k: string, dflt: number) => {
    const v = kv.get(k);
    if (v === undefined || v === '') return dflt;
    if (!/^\d+$/.test(v)) throw invalidInput(`data_provider.connection_string: ${k} "${v}" is not a number`);
    return Number(v);
  };
  return {
    host: kv.get('host') || 'localhost', port: int('port', 5432), database: kv.get('dbname') ?? '', user: kv.get('user') ?? '',
    password: kv.get('password') ?? '', sslmode: sslmode as PgSettings['sslmode'], sslrootcert: kv.get('sslrootcert'),
    sslcert: kv.get('sslcert'), sslkey: kv.get('sslkey'), connectTimeout: int('connect_timeout', 0),
    applicationName: kv.get('application_name') ?? kv.get('fallback_application_name'),
  };
}

/** The settings for `config` (the data_provider section). */
export function pgSettings(config: Record<string, unknown>): PgSettings {
  const cs = String(config.connection_string ?? '').trim();
  if (cs) return fromKeywords(/^postgres(ql)?:\/\//i.test(cs) ? parsePgUrl(cs) : parseKeywordValue(cs));
  return {
    host: String(config.host || 'localhost'), port: Number(config.port) || 5432, database: String(config.name ?? ''),
    user: String(config.username ?? ''), password: String(config.password ?? ''), sslmode: pgSslMode(Number(config.sslmode ?? 0)),
    connectTimeout: 10,
  };
}

/**
 * Node TLS options for the settings (false: no TLS). require encrypts without checking the
 * certificate (unless a root certificate is given: then it is verify-ca, as in libpq); verify-ca
 * checks the chain; verify-full checks the chain and the host name.
 */
export function pgTls(s: PgSettings): false | ConnectionOptions {
  if (s.sslmode === 'disable') return false;
  const files: ConnectionOptions = {};
  if (s.sslrootcert) files.ca = readFileSync(s.sslrootcert);
  if (s.sslcert) files.cert = readFileSync(s.sslcert);
  if (s.sslkey) files.key = readFileSync(s.sslkey);
  const mode = s.sslmode === 'require' && s.sslrootcert ? 'verify-ca' : s.sslmode;
  if (mode === 'require') return { ...files, rejectUnauthorized: false };
  if (mode === 'verify-ca') return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...files, rejectUnauthorized: true };
}

/** host:port/database for messages (never the password). */
export function pgTarget(s: PgSettings): string {
  return `${s.host}:${s.port}/${s.database}`;
}
