/**
 * Shape of the loaded configuration: SFTPGo v2.1.2's `sftpgo.json` keys, snake_case, exactly.
 * Values are what `schema.ts` declares; the loader fills defaults, applies file < env < flags,
 * validates once and deep-freezes the result.
 */

export interface ActionsConfig {
  execute_on: string[];
  execute_sync: string[];
  hook: string;
}

export interface DefenderConfig {
  enabled: boolean;
  ban_time: number;
  ban_time_increment: number;
  threshold: number;
  score_invalid: number;
  score_valid: number;
  score_limit_exceeded: number;
  observation_time: number;
  entries_soft_limit: number;
  entries_hard_limit: number;
  safelist_file: string;
  blocklist_file: string;
}

export interface RateLimiterConfig {
  average: number;
  period: number;
  burst: number;
  type: number;
  protocols: string[];
  generate_defender_events: boolean;
  entries_soft_limit: number;
  entries_hard_limit: number;
}

export interface CommonConfig {
  idle_timeout: number;
  upload_mode: number;
  actions: ActionsConfig;
  setstat_mode: number;
  temp_path: string;
  proxy_protocol: number;
  proxy_allowed: string[];
  startup_hook: string;
  post_connect_hook: string;
  max_total_connections: number;
  max_per_host_connections: number;
  defender: DefenderConfig;
  rate_limiters: RateLimiterConfig[];
}

export interface SftpdBinding {
  port: number;
  address: string;
  apply_proxy_config: boolean;
}

export interface SftpdConfig {
  bindings: SftpdBinding[];
  max_auth_tries: number;
  banner: string;
  host_keys: string[];
  kex_algorithms: string[];
  ciphers: string[];
  macs: string[];
  trusted_user_ca_keys: string[];
  login_banner_file: string;
  enabled_ssh_commands: string[];
  keyboard_interactive_auth_hook: string;
  password_authentication: boolean;
}

export interface FtpdBinding {
  port: number;
  address: string;
  apply_proxy_config: boolean;
  tls_mode: number;
  force_passive_ip: string;
  client_auth_type: number;
  tls_cipher_suites: string[];
}

export interface FtpdConfig {
  bindings: FtpdBinding[];
  banner: string;
  banner_file: string;
  active_transfers_port_non_20: boolean;
  passive_port_range: { start: number; end: number };
  disable_active_mode: boolean;
  enable_site: boolean;
  hash_support: number;
  combine_support: number;
  certificate_file: string;
  certificate_key_file: string;
  ca_certificates: string[];
  ca_revocation_lists: string[];
}

export interface WebdavdBinding {
  port: number;
  address: string;
  enable_https: boolean;
  client_auth_type: number;
  tls_cipher_suites: string[];
  prefix: string;
  proxy_allowed: string[];
}

export interface CorsConfig {
  enabled: boolean;
  allowed_origins: string[];
  allowed_methods: string[];
  allowed_headers: string[];
  exposed_headers: string[];
  allow_credentials: boolean;
  max_age: number;
}

export interface WebdavdConfig {
  bindings: WebdavdBinding[];
  certificate_file: string;
  certificate_key_file: string;
  ca_certificates: string[];
  ca_revocation_lists: string[];
  cors: CorsConfig;
  cache: {
    users: { expiration_time: number; max_size: number };
    mime_types: { enabled: boolean; max_size: number };
  };
}

export interface DataProviderConfig {
  driver: string;
  name: string;
  host: string;
  port: number;
  username: string;
  password: string;
  sslmode: number;
  connection_string: string;
  sql_tables_prefix: string;
  track_quota: number;
  delayed_quota_update: number;
  pool_size: number;
  users_base_dir: string;
  actions: { execute_on: string[]; hook: string };
  external_auth_hook: string;
  external_auth_scope: number;
  credentials_path: string;
  prefer_database_credentials: boolean;
  pre_login_hook: string;
  post_login_hook: string;
  post_login_scope: number;
  check_password_hook: string;
  check_password_scope: number;
  password_hashing: {
    bcrypt_options: { cost: number };
    argon2_options: { memory: number; iterations: number; parallelism: number };
    algo: string;
  };
  password_caching: boolean;
  update_mode: number;
  skip_natural_keys_validation: boolean;
  create_default_admin: boolean;
}

export interface HttpdBinding {
  port: number;
  address: string;
  enable_web_admin: boolean;
  enable_web_client: boolean;
  enable_https: boolean;
  client_auth_type: number;
  tls_cipher_suites: string[];
  proxy_allowed: string[];
}

export interface HttpdConfig {
  bindings: HttpdBinding[];
  templates_path: string;
  static_files_path: string;
  backups_path: string;
  web_root: string;
  certificate_file: string;
  certificate_key_file: string;
  ca_certificates: string[];
  ca_revocation_lists: string[];
}

export interface TelemetryConfig {
  bind_port: number;
  bind_address: string;
  enable_profiler: boolean;
  auth_user_file: string;
  certificate_file: string;
  certificate_key_file: string;
  tls_cipher_suites: string[];
}

export interface HttpClientConfig {
  timeout: number;
  retry_wait_min: number;
  retry_wait_max: number;
  retry_max: number;
  ca_certificates: string[];
  certificates: { cert: string; key: string }[];
  skip_tls_verify: boolean;
  headers: { key: string; value: string; url: string }[];
}

export interface KmsConfig {
  secrets: { url: string; master_key_path: string };
}

export interface Config {
  common: CommonConfig;
  sftpd: SftpdConfig;
  ftpd: FtpdConfig;
  webdavd: WebdavdConfig;
  data_provider: DataProviderConfig;
  httpd: HttpdConfig;
  telemetry: TelemetryConfig;
  http: HttpClientConfig;
  kms: KmsConfig;
}

/** Where the config came from; every relative path in Config is resolved against `configDir`. */
export interface LoadedConfig {
  config: Config;
  configDir: string;
  /** The file that was read, or "" when none was found (defaults + env). */
  configFile: string;
  /** Non-fatal findings (unknown or deprecated keys); the caller logs them as warnings. */
  warnings?: readonly string[];
}

/** Recursive partial of a config shape (arrays keep partial items). Used for overrides. */
export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
