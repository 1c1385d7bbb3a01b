/**
 * SFTPGo v2.1.2's *code* defaults (what applies when a key is absent; INVENTORY §2 and §13 quirks:
 * httpd binding address "127.0.0.1", track_quota 1, active_transfers_port_non_20 true, scp among
 * the default SSH commands). `schema.ts` annotates these values (doc, env name, allowed range);
 * this file is the single source of every default.
 */
import { VERSION } from '../util/version.js';
import type {
  Config, FtpdBinding, HttpClientConfig, HttpdBinding, RateLimiterConfig, SftpdBinding, WebdavdBinding,
} from './types.js';

/** Default rate limiter (one item in `common.rate_limiters`). */
export function defaultRateLimiter(): RateLimiterConfig {
  return {
    average: 0, period: 1000, burst: 1, type: 2, protocols: ['SSH', 'FTP', 'DAV', 'HTTP'],
    generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150,
  };
}

/** A new SFTP binding (port 0 = disabled), as SFTPGo starts one added through env. */
export function defaultSftpdBinding(): SftpdBinding {
  return { port: 0, address: '', apply_proxy_config: true };
}

/** A new FTP binding. */
export function defaultFtpdBinding(): FtpdBinding {
  return {
    port: 0, address: '', apply_proxy_config: true, tls_mode: 0, force_passive_ip: '',
    client_auth_type: 0, tls_cipher_suites: [],
  };
}

/** A new WebDAV binding. */
export function defaultWebdavdBinding(): WebdavdBinding {
  return {
    port: 0, address: '', enable_https: false, client_auth_type: 0, tls_cipher_suites: [],
    prefix: '', proxy_allowed: [],
  };
}

/** A new HTTP binding (web admin and web client on, as SFTPGo's binding defaults). */
export function defaultHttpdBinding(): HttpdBinding {
  return {
    port: 0, address: '', enable_web_admin: true, enable_web_client: true, enable_https: false,
    client_auth_type: 0, tls_cipher_suites: [], proxy_allowed: [],
  };
}

/** A new `http.certificates` item. */
export function defaultHttpCertificate(): HttpClientConfig['certificates'][number] {
  return { cert: '', key: '' };
}

/** A new `http.headers` item. */
export function defaultHttpHeader(): HttpClientConfig['headers'][number] {
  return { key: '', value: '', url: '' };
}

/** A fresh, mutable deep copy of every code default. */
export function defaultConfig(): Config {
  return {
    common: {
      idle_timeout: 15,
      upload_mode: 0,
      actions: { execute_on: [], execute_sync: [], hook: '' },
      setstat_mode: 0,
      temp_path: '',
      proxy_protocol: 0,
      proxy_allowed: [],
      startup_hook: '',
      post_connect_hook: '',
      max_total_connections: 0,
      max_per_host_connections: 20,
      defender: {
        enabled: false, ban_time: 30, ban_time_increment: 50, threshold: 15, score_invalid: 2,
        score_valid: 1, score_limit_exceeded: 3, observation_time: 30, entries_soft_limit: 100,
        entries_hard_limit: 150, safelist_file: '', blocklist_file: '',
      },
      rate_limiters: [defaultRateLimiter()],
    },
    sftpd: {
      bindings: [{ ...defaultSftpdBinding(), port: 2022 }],
      max_auth_tries: 0,
      banner: `SFTPGo_${VERSION}`,
      host_keys: [],
      kex_algorithms: [],
      ciphers: [],
      macs: [],
      trusted_user_ca_keys: [],
      login_banner_file: '',
      enabled_ssh_commands: ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp'],
      keyboard_interactive_auth_hook: '',
      password_authentication: true,
    },
    ftpd: {
      bindings: [defaultFtpdBinding()],
      banner: `SFTPGo ${VERSION} ready`,
      banner_file: '',
      active_transfers_port_non_20: true,
      passive_port_range: { start: 50000, end: 50100 },
      disable_active_mode: false,
      enable_site: false,
      hash_support: 0,
      combine_support: 0,
      certificate_file: '',
      certificate_key_file: '',
      ca_certificates: [],
      ca_revocation_lists: [],
    },
    webdavd: {
      bindings: [defaultWebdavdBinding()],
      certificate_file: '',
      certificate_key_file: '',
      ca_certificates: [],
      ca_revocation_lists: [],
      cors: {
        enabled: false, allowed_origins: [], allowed_methods: [], allowed_headers: [],
        exposed_headers: [], allow_credentials: false, max_age: 0,
      },
      cache: {
        users: { expiration_time: 0, max_size: 50 },
        mime_types: { enabled: true, max_size: 1000 },
      },
    },
    data_provider: {
      driver: 'sqlite',
      name: 'sftpgo.db',
      host: '',
      port: 0,
      username: '',
      password: '',
      sslmode: 0,
      connection_string: '',
      sql_tables_prefix: '',
      track_quota: 1,
      delayed_quota_update: 0,
      pool_size: 0,
      users_base_dir: '',
      actions: { execute_on: [], hook: '' },
      external_auth_hook: '',
      external_auth_scope: 0,
      credentials_path: 'credentials',
      prefer_database_credentials: false,
      pre_login_hook: '',
      post_login_hook: '',
      post_login_scope: 0,
      check_password_hook: '',
      check_password_scope: 0,
      password_hashing: {
        bcrypt_options: { cost: 10 },
        argon2_options: { memory: 65536, iterations: 1, parallelism: 2 },
        algo: 'bcrypt',
      },
      password_caching: true,
      update_mode: 0,
      skip_natural_keys_validation: false,
      create_default_admin: false,
    },
    httpd: {
      bindings: [{ ...defaultHttpdBinding(), port: 8080, address: '127.0.0.1' }],
      templates_path: 'templates',
      static_files_path: 'static',
      backups_path: 'backups',
      web_root: '',
      certificate_file: '',
      certificate_key_file: '',
      ca_certificates: [],
      ca_revocation_lists: [],
    },
    telemetry: {
      bind_port: 10000,
      bind_address: '127.0.0.1',
      enable_profiler: false,
      auth_user_file: '',
      certificate_file: '',
      certificate_key_file: '',
      tls_cipher_suites: [],
    },
    http: {
      timeout: 20,
      retry_wait_min: 2,
      retry_wait_max: 30,
      retry_max: 3,
      ca_certificates: [],
      certificates: [],
      skip_tls_verify: false,
      headers: [],
    },
    kms: { secrets: { url: '', master_key_path: '' } },
  };
}

/** Factories for the items of every array-of-struct key, by dotted path (file and env items start from these). */
export const ITEM_DEFAULTS: Readonly<Record<string, () => object>> = Object.freeze({
  'common.rate_limiters': defaultRateLimiter,
  'sftpd.bindings': defaultSftpdBinding,
  'ftpd.bindings': defaultFtpdBinding,
  'webdavd.bindings': defaultWebdavdBinding,
  'httpd.bindings': defaultHttpdBinding,
  'http.certificates': defaultHttpCertificate,
  'http.headers': defaultHttpHeader,
});
