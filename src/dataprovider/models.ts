/**
 * Data model shared by every layer, named exactly as `openapi.yaml` (SFTPGo REST API v2.1.2) names it.
 * These are plain JSON-compatible records: what the API returns, what a dump holds, what a provider stores.
 * Behaviour lives elsewhere (validation in `validate/`, rules in `core/`).
 */

/** One of the 12 user permission names (`*` grants all). */
export type Permission =
  | '*'
  | 'list'
  | 'download'
  | 'upload'
  | 'overwrite'
  | 'delete'
  | 'rename'
  | 'create_dirs'
  | 'create_symlinks'
  | 'chmod'
  | 'chown'
  | 'chtimes';

export const PERMISSIONS: readonly Permission[] = [
  '*', 'list', 'download', 'upload', 'overwrite', 'delete', 'rename',
  'create_dirs', 'create_symlinks', 'chmod', 'chown', 'chtimes',
];

/** Admin permission names (AdminPermissions in the spec). */
export type AdminPermission =
  | '*'
  | 'add_users'
  | 'edit_users'
  | 'del_users'
  | 'view_users'
  | 'view_conns'
  | 'close_conns'
  | 'view_status'
  | 'manage_admins'
  | 'quota_scans'
  | 'manage_system'
  | 'manage_defender'
  | 'view_defender';

export const ADMIN_PERMISSIONS: readonly AdminPermission[] = [
  '*', 'add_users', 'edit_users', 'del_users', 'view_users', 'view_conns', 'close_conns',
  'view_status', 'manage_admins', 'quota_scans', 'manage_system', 'manage_defender', 'view_defender',
];

export type LoginMethod =
  | 'publickey'
  | 'password'
  | 'keyboard-interactive'
  | 'publickey+password'
  | 'publickey+keyboard-interactive'
  | 'TLSCertificate'
  | 'TLSCertificate+password';

export const LOGIN_METHODS: readonly LoginMethod[] = [
  'publickey', 'password', 'keyboard-interactive', 'publickey+password',
  'publickey+keyboard-interactive', 'TLSCertificate', 'TLSCertificate+password',
];

/** Protocol families a user may be denied (SSH covers SFTP, SCP and SSH commands; HTTP covers the web client and user API). */
export type SupportedProtocol = 'SSH' | 'FTP' | 'DAV' | 'HTTP';
export const SUPPORTED_PROTOCOLS: readonly SupportedProtocol[] = ['SSH', 'FTP', 'DAV', 'HTTP'];

/**
 * Protocol labels of live connections (ConnectionStatus.protocol): SFTP channels, SCP, other SSH
 * commands, FTP sessions, WebDAV requests, and `HTTP` for the REST user API and web client file
 * requests (download, streamzip, listing). The v2.1.2 openapi.yaml enum stops at DAV, but SFTPGo
 * v2.1.2 lists those HTTP requests with its ProtocolHTTP label `HTTP`, and later spec versions add
 * it to the enum; an SFTPGo user sees `HTTP`, so we report `HTTP` (the one value outside the spec
 * enum, checked by test/integration/http/api-connections-schema.test.ts).
 */
export type ConnectionProtocol = 'SFTP' | 'SCP' | 'SSH' | 'FTP' | 'DAV' | 'HTTP';

export type WebClientOption = 'publickey-change-disabled';
export const WEB_CLIENT_OPTIONS: readonly WebClientOption[] = ['publickey-change-disabled'];

/** Map of absolute virtual directory to permissions; "/" is required. */
export type DirPermissions = Record<string, Permission[]>;

export interface PatternsFilter {
  path: string;
  allowed_patterns?: string[];
  denied_patterns?: string[];
}

export interface HooksFilter {
  external_auth_disabled?: boolean;
  pre_login_disabled?: boolean;
  check_password_disabled?: boolean;
}

export interface UserFilters {
  allowed_ip?: string[];
  denied_ip?: string[];
  denied_login_methods?: LoginMethod[];
  denied_protocols?: SupportedProtocol[];
  file_patterns?: PatternsFilter[];
  max_upload_file_size?: number;
  tls_username?: 'None' | 'CommonName';
  hooks?: HooksFilter;
  disable_fs_checks?: boolean;
  web_client?: WebClientOption[];
}

export type SecretStatus = 'Plain' | 'AES-256-GCM' | 'Secretbox' | 'GCP' | 'AWS' | 'VaultTransit' | 'Redacted';

/** A KMS-protected value (see INVENTORY §8.4). Stored encrypted; returned redacted by the API. */
export interface Secret {
  status?: SecretStatus;
  payload?: string;
  key?: string;
  additional_data?: string;
  mode?: number;
}

export interface S3Config {
  bucket?: string;
  region?: string;
  access_key?: string;
  access_secret?: Secret;
  endpoint?: string;
  storage_class?: string;
  upload_part_size?: number;
  upload_concurrency?: number;
  key_prefix?: string;
}

export interface GCSConfig {
  bucket?: string;
  credentials?: Secret;
  automatic_credentials?: 0 | 1;
  storage_class?: string;
  key_prefix?: string;
}

export interface AzureBlobFsConfig {
  container?: string;
  account_name?: string;
  account_key?: Secret;
  sas_url?: Secret;
  endpoint?: string;
  upload_part_size?: number;
  upload_concurrency?: number;
  access_tier?: '' | 'Archive' | 'Hot' | 'Cool';
  key_prefix?: string;
  use_emulator?: boolean;
}

export interface CryptFsConfig {
  passphrase?: Secret;
}

export interface SFTPFsConfig {
  endpoint?: string;
  username?: string;
  password?: Secret;
  private_key?: Secret;
  fingerprints?: string[];
  prefix?: string;
  disable_concurrent_reads?: boolean;
  buffer_size?: number;
}

/** Storage backend codes (FilesystemConfig.provider). */
export const FsProvider = {
  Local: 0,
  S3: 1,
  GCS: 2,
  AzureBlob: 3,
  Crypt: 4,
  SFTP: 5,
} as const;
export type FsProviderCode = (typeof FsProvider)[keyof typeof FsProvider];

export interface FilesystemConfig {
  provider: FsProviderCode;
  s3config?: S3Config;
  gcsconfig?: GCSConfig;
  azblobconfig?: AzureBlobFsConfig;
  cryptconfig?: CryptFsConfig;
  sftpconfig?: SFTPFsConfig;
}

export interface BaseVirtualFolder {
  id?: number;
  name: string;
  mapped_path?: string;
  description?: string;
  used_quota_size?: number;
  used_quota_files?: number;
  last_quota_update?: number;
  /** Usernames mapped to this folder (read-only, filled by the provider). */
  users?: string[];
  filesystem?: FilesystemConfig;
}

/** A folder as mapped into one user: the base folder plus the user's virtual path and quota (-1/-1 = included in user quota). */
export interface VirtualFolder extends BaseVirtualFolder {
  virtual_path: string;
  quota_size?: number;
  quota_files?: number;
}

export interface User {
  id?: number;
  status: 0 | 1;
  username: string;
  description?: string;
  /** Unix ms, 0 = never. */
  expiration_date?: number;
  /** Hash as stored (never returned by the API). */
  password?: string;
  public_keys?: string[];
  home_dir: string;
  virtual_folders?: VirtualFolder[];
  uid?: number;
  gid?: number;
  max_sessions?: number;
  quota_size?: number;
  quota_files?: number;
  permissions: DirPermissions;
  used_quota_size?: number;
  used_quota_files?: number;
  last_quota_update?: number;
  /** KB/s, 0 = unlimited. */
  upload_bandwidth?: number;
  download_bandwidth?: number;
  last_login?: number;
  filters?: UserFilters;
  filesystem?: FilesystemConfig;
  additional_info?: string;
}

export interface AdminFilters {
  allow_list?: string[];
}

export interface Admin {
  id?: number;
  status: 0 | 1;
  username: string;
  description?: string;
  password?: string;
  email?: string;
  permissions: AdminPermission[];
  filters?: AdminFilters;
  additional_info?: string;
}

/** The dumpdata/loaddata document (BackupData); `version` is 8 for v2.1.2. */
export interface BackupData {
  users: User[];
  folders: BaseVirtualFolder[];
  admins: Admin[];
  version: number;
}

export const DUMP_VERSION = 8;

export interface QuotaUsage {
  used_quota_size: number;
  used_quota_files: number;
}

export interface TransferStatus {
  operation_type: 'upload' | 'download';
  path: string;
  start_time: number;
  size: number;
}

export interface ConnectionStatus {
  username: string;
  connection_id: string;
  client_version: string;
  remote_address: string;
  connection_time: number;
  command: string;
  last_activity: number;
  protocol: ConnectionProtocol;
  active_transfers: TransferStatus[];
}
