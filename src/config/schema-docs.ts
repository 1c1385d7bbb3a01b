/**
 * One doc line and the allowed values of every config key, by dotted path (`[]` marks the items of
 * an array-of-struct key). `schema.ts` joins this with the defaults; a test checks that every key
 * has a doc line here and that no doc names a key that does not exist.
 */
import { isIPv4 } from 'node:net';
import { unknownCipherSuites } from '../util/tls-ciphers.js';
import { hookProblem, RATE_LIMITER_PROTOCOLS } from './checks.js';

/** Allowed values of one key; the loader reports a violation as a problem naming the key. */
export interface Rule {
  /** The value must be one of these. */
  oneOf?: readonly (string | number)[];
  /** Every list element must be one of these. */
  each?: readonly string[];
  min?: number;
  max?: number;
  /** Extra check: returns the problem, or undefined when the value is fine. */
  check?: (value: unknown) => string | undefined;
}

/** Doc line plus optional rule. */
export interface KeyMeta {
  doc: string;
  rule?: Rule;
}

const PORT: Rule = { min: 0, max: 65535 };
const NON_NEG: Rule = { min: 0 };
const ACTIONS = ['pre-download', 'download', 'pre-upload', 'upload', 'pre-delete', 'delete', 'rename', 'ssh_cmd'];
const absUri = (v: unknown) => (typeof v === 'string' && v !== '' && !v.startsWith('/') ? 'must be empty or start with "/"' : undefined);
const ipv4 = (v: unknown) => (typeof v === 'string' && v !== '' && !isIPv4(v) ? 'must be an IPv4 address' : undefined);

const m = (doc: string, rule?: Rule): KeyMeta => (rule ? { doc, rule } : { doc });
/** Hooks: empty, an http(s) URL or an absolute program path, checked at load (not at first use). */
const HOOK: Rule = { check: hookProblem };
/** Go cipher suite names (SFTPGo's format); anything else is refused at load, not dropped. */
const CIPHERS: Rule = {
  check: (v) => {
    const bad = Array.isArray(v) ? unknownCipherSuites(v as string[]) : [];
    return bad.length ? `unknown or insecure TLS cipher suites ${bad.join(', ')} (Go crypto/tls CipherSuites() names only)` : undefined;
  },
};

/** Metadata of every key. */
export const KEY_META: Readonly<Record<string, KeyMeta>> = Object.freeze({
  'common.idle_timeout': m('minutes a connection may stay idle before it is closed; 0 disables', NON_NEG),
  'common.upload_mode': m('0 standard, 1 atomic, 2 atomic with resume support', { oneOf: [0, 1, 2] }),
  'common.actions.execute_on': m('file operations that run the action hook', { each: ACTIONS }),
  'common.actions.execute_sync': m('post actions run synchronously (pre-* actions always are)', { each: ACTIONS }),
  'common.actions.hook': m('absolute program path or http(s) URL notified of file operations', HOOK),
  'common.setstat_mode': m('0 execute setstat, 1 ignore always, 2 ignore on cloud backends', { oneOf: [0, 1, 2] }),
  'common.temp_path': m('directory for atomic-upload temporary files; empty = next to the target'),
  'common.proxy_protocol': m('PROXY protocol: 0 off, 1 optional, 2 required', { oneOf: [0, 1, 2] }),
  'common.proxy_allowed': m('IPs/CIDRs allowed to send a PROXY header'),
  'common.startup_hook': m('program or URL run once at start-up', HOOK),
  'common.post_connect_hook': m('program or URL that may reject a new connection', HOOK),
  'common.max_total_connections': m('maximum concurrent connections; 0 unlimited', NON_NEG),
  'common.max_per_host_connections': m('maximum concurrent connections per client IP; 0 unlimited', NON_NEG),
  'common.defender.enabled': m('enable the brute-force defender'),
  'common.defender.ban_time': m('ban duration in minutes', NON_NEG),
  'common.defender.ban_time_increment': m('percent added to the ban time of a host banned again', NON_NEG),
  'common.defender.threshold': m('score that bans a host', NON_NEG),
  'common.defender.score_invalid': m('score of a login attempt for a non-existent user', NON_NEG),
  'common.defender.score_valid': m('score of a failed login for an existing user', NON_NEG),
  'common.defender.score_limit_exceeded': m('score of exceeding a rate or connection limit', NON_NEG),
  'common.defender.observation_time': m('minutes a score is remembered', NON_NEG),
  'common.defender.entries_soft_limit': m('hosts tracked before cleanup starts', NON_NEG),
  'common.defender.entries_hard_limit': m('hosts tracked at most', NON_NEG),
  'common.defender.safelist_file': m('JSON file {addresses, networks} never banned'),
  'common.defender.blocklist_file': m('JSON file {addresses, networks} always refused'),
  'common.rate_limiters': m('rate limiters (token buckets)'),
  'common.rate_limiters[].average': m('average requests per period; 0 disables this limiter', NON_NEG),
  'common.rate_limiters[].period': m('period in milliseconds', NON_NEG),
  'common.rate_limiters[].burst': m('maximum burst', NON_NEG),
  // type, period, burst and protocol names are checked only for an enabled limiter (checks.ts), as SFTPGo does
  'common.rate_limiters[].type': m('1 global, 2 per source IP'),
  'common.rate_limiters[].protocols': m(`protocols limited: ${RATE_LIMITER_PROTOCOLS.join(', ')}`),
  'common.rate_limiters[].generate_defender_events': m('exceeding the limit scores in the defender'),
  'common.rate_limiters[].entries_soft_limit': m('sources tracked before cleanup starts', NON_NEG),
  'common.rate_limiters[].entries_hard_limit': m('sources tracked at most', NON_NEG),
  'sftpd.bindings': m('SFTP listeners'),
  'sftpd.bindings[].port': m('port; 0 disables the binding', PORT),
  'sftpd.bindings[].address': m('listen address; empty = all interfaces'),
  'sftpd.bindings[].apply_proxy_config': m('apply common.proxy_protocol on this binding'),
  'sftpd.max_auth_tries': m('authentication attempts per connection; 0 = 6, negative = unlimited'),
  'sftpd.banner': m('SSH identification, sent as SSH-2.0-<banner>'),
  'sftpd.host_keys': m('host private key files; empty = generated defaults'),
  'sftpd.kex_algorithms': m('key exchange algorithms; empty = library defaults'),
  'sftpd.ciphers': m('ciphers; empty = library defaults'),
  'sftpd.macs': m('MACs; empty = library defaults'),
  'sftpd.trusted_user_ca_keys': m('CA public keys trusted for user certificates'),
  'sftpd.login_banner_file': m('file shown to clients before authentication'),
  'sftpd.enabled_ssh_commands': m('SSH commands allowed; "*" = all supported'),
  'sftpd.keyboard_interactive_auth_hook': m('program or URL driving keyboard-interactive authentication', HOOK),
  'sftpd.password_authentication': m('allow password authentication'),
  'ftpd.bindings': m('FTP listeners'),
  'ftpd.bindings[].port': m('port; 0 disables the binding', PORT),
  'ftpd.bindings[].address': m('listen address; empty = all interfaces'),
  'ftpd.bindings[].apply_proxy_config': m('apply common.proxy_protocol on this binding'),
  'ftpd.bindings[].tls_mode': m('0 plain or explicit TLS, 1 TLS required, 2 implicit TLS', { oneOf: [0, 1, 2] }),
  'ftpd.bindings[].force_passive_ip': m('IPv4 address advertised for passive connections', { check: ipv4 }),
  'ftpd.bindings[].client_auth_type': m('0 no client certificate, 1 require and verify, 2 verify if given', { oneOf: [0, 1, 2] }),
  'ftpd.bindings[].tls_cipher_suites': m('TLS 1.2 cipher suites, Go names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ...); empty = defaults', CIPHERS),
  'ftpd.banner': m('greeting sent on connect'),
  'ftpd.banner_file': m('file whose content replaces the greeting'),
  'ftpd.active_transfers_port_non_20': m('do not force source port 20 for active-mode data connections'),
  'ftpd.passive_port_range.start': m('first passive port', PORT),
  'ftpd.passive_port_range.end': m('last passive port', PORT),
  'ftpd.disable_active_mode': m('refuse PORT/EPRT'),
  'ftpd.enable_site': m('enable SITE CHMOD/SYMLINK'),
  'ftpd.hash_support': m('1 enables HASH, XCRC, MD5, XSHA* commands', { oneOf: [0, 1] }),
  'ftpd.combine_support': m('1 enables COMB', { oneOf: [0, 1] }),
  'ftpd.certificate_file': m('TLS certificate (PEM)'),
  'ftpd.certificate_key_file': m('TLS private key (PEM)'),
  'ftpd.ca_certificates': m('CAs trusted for client certificates'),
  'ftpd.ca_revocation_lists': m('CRLs for client certificates'),
  'webdavd.bindings': m('WebDAV listeners'),
  'webdavd.bindings[].port': m('port; 0 disables the binding', PORT),
  'webdavd.bindings[].address': m('listen address; empty = all interfaces'),
  'webdavd.bindings[].enable_https': m('serve HTTPS on this binding'),
  'webdavd.bindings[].client_auth_type': m('0 no client certificate, 1 require and verify', { oneOf: [0, 1, 2] }),
  'webdavd.bindings[].tls_cipher_suites': m('TLS 1.2 cipher suites, Go names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ...); empty = defaults', CIPHERS),
  'webdavd.bindings[].prefix': m('URI prefix such as /dav; empty = root', { check: absUri }),
  'webdavd.bindings[].proxy_allowed': m('proxies whose X-Forwarded-For/X-Real-IP headers are trusted'),
  'webdavd.certificate_file': m('TLS certificate (PEM)'),
  'webdavd.certificate_key_file': m('TLS private key (PEM)'),
  'webdavd.ca_certificates': m('CAs trusted for client certificates'),
  'webdavd.ca_revocation_lists': m('CRLs for client certificates'),
  'webdavd.cors.enabled': m('enable CORS handling'),
  'webdavd.cors.allowed_origins': m('allowed origins'),
  'webdavd.cors.allowed_methods': m('allowed methods'),
  'webdavd.cors.allowed_headers': m('allowed request headers'),
  'webdavd.cors.exposed_headers': m('headers exposed to the browser'),
  'webdavd.cors.allow_credentials': m('allow credentials'),
  'webdavd.cors.max_age': m('preflight cache seconds', NON_NEG),
  'webdavd.cache.users.expiration_time': m('minutes an authenticated user stays cached; 0 never expires', NON_NEG),
  'webdavd.cache.users.max_size': m('cached users at most; 0 unlimited', NON_NEG),
  'webdavd.cache.mime_types.enabled': m('cache MIME types by extension'),
  'webdavd.cache.mime_types.max_size': m('cached MIME types at most', NON_NEG),
  'data_provider.driver': m('sqlite, mysql, postgresql, cockroachdb, bolt or memory', {
    oneOf: ['sqlite', 'mysql', 'postgresql', 'cockroachdb', 'bolt', 'memory'],
  }),
  'data_provider.name': m('database name; sqlite file (relative to config dir); memory: optional dump to load'),
  'data_provider.host': m('database host'),
  'data_provider.port': m('database port', PORT),
  'data_provider.username': m('database user'),
  'data_provider.password': m('database password'),
  'data_provider.sslmode': m('TLS mode 0..3 (postgresql: disable, require, verify-ca, verify-full; mysql: false, true, skip-verify, preferred)', { oneOf: [0, 1, 2, 3] }),
  'data_provider.connection_string': m('overrides the connection string built from the keys above'),
  'data_provider.sql_tables_prefix': m('prefix of SQL table names', {
    check: (v) => (typeof v === 'string' && !/^[A-Za-z0-9_]*$/.test(v) ? 'only A-Z, a-z, 0-9 and _ allowed' : undefined),
  }),
  'data_provider.track_quota': m('0 off, 1 always, 2 only users with limits and folders', { oneOf: [0, 1, 2] }),
  'data_provider.delayed_quota_update': m('seconds quota updates are accumulated in memory; 0 immediate', NON_NEG),
  'data_provider.pool_size': m('maximum open database connections (postgresql, mysql); 0 takes the default of 10', NON_NEG),
  'data_provider.users_base_dir': m('home directory base for users created without one'),
  'data_provider.actions.execute_on': m('user events that run the hook', { each: ['add', 'update', 'delete'] }),
  'data_provider.actions.hook': m('program or URL notified of user changes', HOOK),
  'data_provider.external_auth_hook': m('program or URL that authenticates users', HOOK),
  'data_provider.external_auth_scope': m('bitmask: 1 password, 2 public key, 4 keyboard-interactive, 8 TLS certificate; 0 all', { min: 0, max: 15 }),
  'data_provider.credentials_path': m('directory of GCS credential files'),
  'data_provider.prefer_database_credentials': m('store GCS credentials in the database'),
  'data_provider.pre_login_hook': m('program or URL that may modify or create a user before login', HOOK),
  'data_provider.post_login_hook': m('program or URL notified after a login', HOOK),
  'data_provider.post_login_scope': m('0 all logins, 1 failed only, 2 successful only', { oneOf: [0, 1, 2] }),
  'data_provider.check_password_hook': m('program or URL that checks passwords', HOOK),
  'data_provider.check_password_scope': m('bitmask: 1 SSH, 2 FTP, 4 WebDAV; 0 all', { min: 0, max: 7 }),
  'data_provider.password_hashing.bcrypt_options.cost': m('bcrypt cost', { min: 4, max: 31 }),
  'data_provider.password_hashing.argon2_options.memory': m('argon2id memory in KiB', { min: 1 }),
  'data_provider.password_hashing.argon2_options.iterations': m('argon2id iterations', { min: 1 }),
  'data_provider.password_hashing.argon2_options.parallelism': m('argon2id parallelism', { min: 1, max: 255 }),
  'data_provider.password_hashing.algo': m('hash of new passwords: bcrypt or argon2id', { oneOf: ['bcrypt', 'argon2id'] }),
  'data_provider.password_caching': m('cache verified passwords in memory'),
  'data_provider.update_mode': m('0 create/migrate the schema at start, 1 only with initprovider', { oneOf: [0, 1] }),
  'data_provider.skip_natural_keys_validation': m('allow any characters in usernames and folder names'),
  'data_provider.create_default_admin': m('create admin/password when no admin exists'),
  'httpd.bindings': m('HTTP listeners (REST API, web admin, web client)'),
  'httpd.bindings[].port': m('port; 0 disables the binding', PORT),
  'httpd.bindings[].address': m('listen address or absolute Unix socket path'),
  'httpd.bindings[].enable_web_admin': m('serve the web admin'),
  'httpd.bindings[].enable_web_client': m('serve the web client'),
  'httpd.bindings[].enable_https': m('serve HTTPS on this binding'),
  'httpd.bindings[].client_auth_type': m('0 no client certificate, 1 require and verify', { oneOf: [0, 1] }),
  'httpd.bindings[].tls_cipher_suites': m('TLS 1.2 cipher suites, Go names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ...); empty = defaults', CIPHERS),
  'httpd.bindings[].proxy_allowed': m('proxies whose X-Forwarded-For/X-Forwarded-Proto headers are trusted'),
  'httpd.templates_path': m('ignored: the web pages are built in (SFTPGo Go templates cannot be used); a non-default value is logged as a warning'),
  'httpd.static_files_path': m('optional directory whose files override the embedded web assets of the same name (sftpgo-web.css, sftpgo-web.js)'),
  'httpd.backups_path': m('directory of dumpdata backups'),
  'httpd.web_root': m('URI prefix of the web pages, such as /sftpgo', { check: absUri }),
  'httpd.certificate_file': m('TLS certificate (PEM)'),
  'httpd.certificate_key_file': m('TLS private key (PEM)'),
  'httpd.ca_certificates': m('CAs trusted for client certificates'),
  'httpd.ca_revocation_lists': m('CRLs for client certificates'),
  'telemetry.bind_port': m('telemetry port; 0 disables', PORT),
  'telemetry.bind_address': m('telemetry listen address'),
  'telemetry.enable_profiler': m('expose /debug/pprof/'),
  'telemetry.auth_user_file': m('htpasswd file protecting telemetry (not /healthz)'),
  'telemetry.certificate_file': m('TLS certificate (PEM)'),
  'telemetry.certificate_key_file': m('TLS private key (PEM)'),
  'telemetry.tls_cipher_suites': m('TLS 1.2 cipher suites, Go names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ...); empty = defaults', CIPHERS),
  'http.timeout': m('seconds per outgoing hook request', NON_NEG),
  'http.retry_wait_min': m('minimum seconds between retries', NON_NEG),
  'http.retry_wait_max': m('maximum seconds between retries', NON_NEG),
  'http.retry_max': m('retries after the first failure', NON_NEG),
  'http.ca_certificates': m('extra trusted CAs'),
  'http.certificates': m('client certificates for mutual TLS'),
  'http.certificates[].cert': m('certificate file', { check: required }),
  'http.certificates[].key': m('private key file', { check: required }),
  'http.skip_tls_verify': m('do not verify server certificates'),
  'http.headers': m('headers added to hook requests'),
  'http.headers[].key': m('header name', { check: required }),
  'http.headers[].value': m('header value', { check: required }),
  'http.headers[].url': m('added only to URLs starting with this; empty = all'),
  'kms.secrets.url': m('KMS URL; empty = local secretbox'),
  'kms.secrets.master_key_path': m('file whose trimmed content is the local master key'),
});

function required(v: unknown): string | undefined {
  return v === '' ? 'is required' : undefined;
}

/** Keys whose numbers may have a fraction (all other numbers are integers). */
export const FLOAT_KEYS: ReadonlySet<string> = new Set(['http.timeout']);
