/**
 * Connection settings of the server providers, as SFTPGo v2.1.2 builds them: `sslmode` numbers per
 * driver, `connection_string` overriding the fields (lib/pq keyword strings and URLs for
 * PostgreSQL, Go DSNs and URLs for MySQL), TLS options, pool size, and `?` → `$n` placeholders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeywordValue, pgSettings, pgTls } from '../../../src/dataprovider/postgres/config.js';
import { pgPoolConfig } from '../../../src/dataprovider/postgres/index.js';
import { goDuration, mysqlSettings, parseGoDsn } from '../../../src/dataprovider/mysql/config.js';
import { mysqlPoolOptions } from '../../../src/dataprovider/mysql/index.js';
import { numberedPlaceholders } from '../../../src/dataprovider/sql/dialect.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

const invalid = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (err) => isSftpGoError(err) && err.kind === ErrorKind.InvalidInput && re.test(err.message));

test('postgresql: fields and sslmode 0..3 map to disable, require, verify-ca, verify-full', () => {
  const base = { host: 'db.example', port: 5433, name: 'sftpgo', username: 'u', password: 'p w' };
  const modes = [0, 1, 2, 3].map((n) => pgSettings({ ...base, sslmode: n }).sslmode);
  assert.deepEqual(modes, ['disable', 'require', 'verify-ca', 'verify-full']);
  const s = pgSettings({ ...base, sslmode: 0 });
  assert.deepEqual([s.host, s.port, s.database, s.user, s.password, s.connectTimeout], ['db.example', 5433, 'sftpgo', 'u', 'p w', 10]);
  assert.equal(pgTls(s), false);
  assert.deepEqual(pgTls({ ...s, sslmode: 'require' }), { rejectUnauthorized: false });
  const ca = pgTls({ ...s, sslmode: 'verify-ca' }) as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
  assert.equal(ca.rejectUnauthorized, true);
  assert.equal(ca.checkServerIdentity(), undefined, 'verify-ca checks the chain, not the host name');
  assert.deepEqual(pgTls({ ...s, sslmode: 'verify-full' }), { rejectUnauthorized: true });
  invalid(() => pgSettings({ ...base, sslmode: 4 }), /sslmode 4/);
  assert.deepEqual(pgSettings({ port: 0 }).port, 5432);
});

test('postgresql: connection_string overrides the fields, as lib/pq reads it', () => {
  const kv = parseKeywordValue(`host='my host' port=6000 dbname=d user=x password='it''s' sslmode=verify-full connect_timeout=3`.replace("''", "\\'"));
  assert.deepEqual(Object.fromEntries(kv), { host: 'my host', port: '6000', dbname: 'd', user: 'x', password: "it's", sslmode: 'verify-full', connect_timeout: '3' });
  const s = pgSettings({ host: 'ignored', port: 1, connection_string: 'host=h dbname=d user=x sslmode=disable' });
  assert.deepEqual([s.host, s.port, s.database, s.user, s.sslmode, s.connectTimeout], ['h', 5432, 'd', 'x', 'disable', 0]);
  assert.equal(pgSettings({ connection_string: 'host=h dbname=d' }).sslmode, 'require', "lib/pq's default sslmode");
  const u = pgSettings({ connection_string: 'postgres://us%40r:p%3Ass@[::1]:7000/db%201?sslmode=verify-ca&application_name=sftpgo' });
  assert.deepEqual([u.host, u.port, u.user, u.password, u.database, u.sslmode, u.applicationName], ['::1', 7000, 'us@r', 'p:ss', 'db 1', 'verify-ca', 'sftpgo']);
  invalid(() => pgSettings({ connection_string: 'host=h sslmode=prefer' }), /sslmode "prefer" is not supported/);
  invalid(() => pgSettings({ connection_string: 'host=h target_session_attrs=any' }), /unsupported keyword\(s\) target_session_attrs/);
  invalid(() => pgSettings({ connection_string: 'host=h port=abc' }), /port "abc" is not a number/);
  invalid(() => pgSettings({ connection_string: 'just words' }), /expected key=value/);
});

test('postgresql: pool_size bounds the pool; 0 takes the default', () => {
  const s = pgSettings({ host: 'h', sslmode: 0 });
  assert.equal(pgPoolConfig(s, 3).max, 3);
  assert.equal(pgPoolConfig(s, 0).max, 10);
  assert.equal(pgPoolConfig(s, 0).connectionTimeoutMillis, 10_000);
});

test('mysql: fields and sslmode 0..3 map to tls false, true, skip-verify, preferred', () => {
  const base = { host: 'db', port: 3307, name: 'sftpgo', username: 'u', password: 'p' };
  assert.deepEqual([0, 1, 2, 3].map((n) => mysqlSettings({ ...base, sslmode: n }).tls), ['false', 'true', 'skip-verify', 'preferred']);
  invalid(() => mysqlSettings({ ...base, sslmode: 9 }), /sslmode 9/);
  const opt = (n: number) => mysqlPoolOptions(mysqlSettings({ ...base, sslmode: n }), 0).ssl;
  assert.deepEqual([opt(0), opt(1), opt(2)], [undefined, { rejectUnauthorized: true, verifyIdentity: true }, { rejectUnauthorized: false }]);
  const o = mysqlPoolOptions(mysqlSettings({ ...base, sslmode: 0 }), 5);
  assert.deepEqual([o.host, o.port, o.database, o.user, o.password, o.connectionLimit, o.connectTimeout], ['db', 3307, 'sftpgo', 'u', 'p', 5, 10_000]);
  assert.equal(mysqlPoolOptions(mysqlSettings(base), 0).connectionLimit, 10);
});

test('mysql: connection_string is a Go DSN (or a mysql:// URL) and overrides the fields', () => {
  const s = mysqlSettings({ host: 'ignored', connection_string: 'sftp:p@ss:w@tcp([::1]:3310)/files?charset=utf8&interpolateParams=true&timeout=2s&tls=skip-verify&readTimeout=10s' });
  assert.deepEqual([s.user, s.password, s.host, s.port, s.database, s.charset, s.connectTimeout, s.tls], ['sftp', 'p@ss:w', '::1', 3310, 'files', 'UTF8', 2000, 'skip-verify']);
  const sock = parseGoDsn('root@unix(/run/mysqld/mysqld.sock)/db');
  assert.deepEqual([sock.socketPath, sock.user, sock.password, sock.database], ['/run/mysqld/mysqld.sock', 'root', '', 'db']);
  assert.deepEqual([parseGoDsn('/db').host, parseGoDsn('/db').port], ['127.0.0.1', 3306]);
  const u = mysqlSettings({ connection_string: 'mysql://a:b%2Fc@h:1234/d?tls=true' });
  assert.deepEqual([u.user, u.password, u.host, u.port, u.database, u.tls], ['a', 'b/c', 'h', 1234, 'd', 'true']);
  invalid(() => parseGoDsn('no-slash'), /needs "\/dbname"/);
  invalid(() => parseGoDsn('u@udp(h)/d'), /network "udp" is not supported/);
  invalid(() => parseGoDsn('u@tcp(h)/d?tls=custom'), /tls "custom" is not supported/);
  invalid(() => parseGoDsn('u@tcp(h)/d?sql_mode=ANSI'), /parameter "sql_mode" is not supported/);
  assert.deepEqual([goDuration('10s'), goDuration('1m30s'), goDuration('250ms')], [10_000, 90_000, 250]);
  invalid(() => goDuration('10'), /not a duration/);
});

test('placeholders: ? becomes $n outside quoted text', () => {
  assert.equal(numberedPlaceholders(`SELECT "a?" FROM t WHERE x = ? AND y = '?' AND z IN (?, ?)`),
    `SELECT "a?" FROM t WHERE x = $1 AND y = '?' AND z IN ($2, $3)`);
});
