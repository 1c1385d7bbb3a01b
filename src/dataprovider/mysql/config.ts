/**
 * MySQL/MariaDB connection settings from the `data_provider` section, as SFTPGo v2.1.2 builds them
 * (`user:password@tcp([host]:port)/name?charset=utf8&timeout=10s&tls=...`): `sslmode` 0 false,
 * 1 true (verified), 2 skip-verify, 3 preferred (TLS when the server offers it, unverified). A
 * `connection_string` replaces them; it is read as SFTPGo's Go driver reads a DSN
 * (`[user[:password]@][tcp(host:port)|unix(/path)]/dbname[?param=value&...]`), or as a
 * `mysql://` URL. The Go driver's own tuning knobs that mean nothing here are ignored; any other
 * parameter (the Go driver would set it as a session variable) is refused, naming it.
 */
import { invalidInput } from '../../util/errors.js';

/** SFTPGo's `tls` values. */
export type MySqlTls = 'false' | 'true' | 'skip-verify' | 'preferred';

/** What a pool is built from. */
export interface MySqlSettings {
  host: string;
  port: number;
  /** Unix socket path (instead of host and port). */
  socketPath?: string;
  user: string;
  password: string;
  database: string;
  tls: MySqlTls;
  /** Milliseconds. */
  connectTimeout: number;
  /** Character set (or collation) of the connection. */
  charset: string;
}

const TLS_MODES: readonly MySqlTls[] = ['false', 'true', 'skip-verify', 'preferred'];
/** Go driver parameters with no meaning for this driver (interpolation, Go time types, limits...). */
const IGNORED = new Set(['interpolateParams', 'parseTime', 'readTimeout', 'writeTimeout', 'loc', 'maxAllowedPacket',
  'allowNativePasswords', 'allowOldPasswords', 'allowCleartextPasswords', 'clientFoundRows', 'columnsWithAlias',
  'multiStatements', 'rejectReadOnly', 'checkConnLiveness', 'serverPubKey', 'allowAllFiles', 'allowFallbackToPlaintext',
  'timeTruncate', 'connectionAttributes', 'strict']);

/** SFTPGo's `sslmode` number for MySQL. */
export function mysqlTls(n: number): MySqlTls {
  const mode = TLS_MODES[n];
  if (!mode) throw invalidInput(`data_provider.sslmode ${n} is not valid for MySQL (0 false, 1 true, 2 skip-verify, 3 preferred)`);
  return mode;
}

/** A Go duration ("10s", "500ms", "1m30s") in milliseconds. */
export function goDuration(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== s) throw invalidInput(`data_provider.connection_string: "${s}" is not a duration (like 10s)`);
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0));
}

function base(): MySqlSettings {
  return { host: 'localhost', port: 3306, user: '', password: '', database: '', tls: 'false', connectTimeout: 0, charset: 'UTF8MB4' };
}

function applyParams(s: MySqlSettings, params: URLSearchParams): MySqlSettings {
  for (const [k, v] of params) {
    if (k === 'tls') {
      if (!(TLS_MODES as readonly string[]).includes(v)) throw invalidInput(`data_provider.connection_string: tls "${v}" is not supported (${TLS_MODES.join(', ')})`);
      s.tls = v as MySqlTls;
    } else if (k === 'timeout') s.connectTimeout = goDuration(v);
    else if (k === 'charset') s.charset = v.split(',')[0]!.toUpperCase();
    else if (k === 'collation') s.charset = v.toUpperCase();
    else if (!IGNORED.has(k)) throw invalidInput(`data_provider.connection_string: parameter "${k}" is not supported (tls, timeout, charset, collation)`);
  }
  return s;
}

/** host:port or [ipv6]:port, as in a Go address. */
function splitAddress(addr: string, s: MySqlSettings): void {
  const m = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d+))?$/.exec(addr);
  if (!m) throw invalidInput(`data_provider.connection_string: "${addr}" is not host:port`);
  // The Go driver's default address is 127.0.0.1:3306.
  s.host = (m[1] ?? m[2]) || '127.0.0.1';
  if (m[3]) s.port = Number(m[3]);
}

/** Reads a Go MySQL DSN. */
export function parseGoDsn(dsn: string): MySqlSettings {
  const s = base();
  const slash = dsn.lastIndexOf('/', dsn.includes('?') ? dsn.indexOf('?') : dsn.length);
  if (slash < 0) throw invalidInput('data_provider.connection_string: a MySQL DSN needs "/dbname" (user:password@tcp(host:port)/dbname)');
  const [db, query = ''] = dsn.slice(slash + 1).split(/\?(.*)/s);
  s.database = db ?? '';
  const head = dsn.slice(0, slash);
  const at = head.lastIndexOf('@');
  if (at >= 0) {
    const cred = head.slice(0, at);
    const colon = cred.indexOf(':');
    s.user = colon < 0 ? cred : cred.slice(0, colon);
    s.password = colon < 0 ? '' : cred.slice(colon + 1);
  }
  const target = /^(\w*)(?:\((.*)\))?$/.exec(head.slice(at + 1));
  if (!target) throw invalidInput(`data_provider.connection_string: cannot read "${head.slice(at + 1)}" (expected tcp(host:port) or unix(/path))`);
  if (target[1] === 'unix') s.socketPath = target[2] || '/tmp/mysql.sock';
  else if (target[1] === '' || target[1] === 'tcp') splitAddress(target[2] ?? '', s);
  else throw invalidInput(`data_provider.connection_string: network "${target[1]}" is not supported (tcp, unix)`);
  return applyParams(s, new URLSearchParams(query));
}

/** Reads a `mysql://user:password@host:port/dbname?param=value` URL. */
export function parseMysqlUrl(s: string): MySqlSettings {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw invalidInput('data_provider.connection_string is not a valid mysql:// URL');
  }
  const out = base();
  out.host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  if (url.port) out.port = Number(url.port);
  out.user = decodeURIComponent(url.username);
  out.password = decodeURIComponent(url.password);
  out.database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return applyParams(out, url.searchParams);
}

/** The settings for `config` (the data_provider section). */
export function mysqlSettings(config: Record<string, unknown>): MySqlSettings {
  const cs = String(config.connection_string ?? '').trim();
  if (cs) return /^mysql:\/\//i.test(cs) ? parseMysqlUrl(cs) : parseGoDsn(cs);
  return {
    ...base(), host: String(config.host || 'localhost'), port: Number(config.port) || 3306, user: String(config.username ?? ''),
    password: String(config.password ?? ''), database: String(config.name ?? ''), tls: mysqlTls(Number(config.sslmode ?? 0)),
    connectTimeout: 10_000,
  };
}

/** host:port/database for messages (never the password). */
export function mysqlTarget(s: MySqlSettings): string {
  return `${s.socketPath ?? `${s.host}:${s.port}`}/${s.database}`;
}
