/**
 * Shared pieces of the DataProvider conformance suite: what an implementation hands the suite, the
 * records it stores, and small assertions. A provider joins by calling `runProviderConformance`
 * from its own `<driver>.test.ts` (PostgreSQL and MySQL: gate the file with `needs(dsn, reason)`;
 * order by `username COLLATE "C"` / a binary collation to keep SQLite's byte order).
 */
import { test } from 'node:test';
import type { Admin, BaseVirtualFolder, User } from '../../../src/dataprovider/models.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { isSftpGoError } from '../../../src/util/errors.js';

/** One fresh, initialized provider for one test. */
export interface ProviderUnderTest {
  provider: DataProvider;
  /** Closes the provider and opens the same store again (persistent providers only). */
  reopen?(): Promise<DataProvider>;
  /** Closes whatever is open and removes temp files. */
  cleanup(): Promise<void>;
}

export type ProviderFactory = () => Promise<ProviderUnderTest>;

/** Registers one test that gets a fresh provider and always cleans up. */
export function providerTest(name: string, title: string, make: ProviderFactory, fn: (u: ProviderUnderTest) => Promise<void>): void {
  test(`${name}: ${title}`, async () => {
    const u = await make();
    try {
      await fn(u);
    } finally {
      await u.cleanup();
    }
  });
}

/** The error kind a promise rejects with ("ok" when it resolves). */
export async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : `raw:${String(err)}`;
  }
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The subset of `actual` with the keys of `expected` (to compare what was stored). */
export function pick<T extends object>(actual: T, expected: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(expected) as (keyof T)[]) out[k] = actual[k];
  return out;
}

const secretbox = (ad: string) => ({ status: 'Secretbox' as const, payload: 'cGF5bG9hZA==', key: 'a2V5', additional_data: ad, mode: 0 });

/** A user with every stored field set. */
export function fullUser(username: string, over: Partial<User> = {}): User {
  return {
    status: 1, username, description: `${username} desc`, expiration_date: 1700000000000, password: '$2a$10$abcdefghijklmnopqrstuu5Z2E4yH0rDqVbN5s7cUvB1Wl8Oq6',
    public_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGBFMgn3tXbMXtFm0JyG0qPZpZ8xq4cU2ApfW6b8aKyH user@host'],
    home_dir: `/srv/sftpgo/${username}`, uid: 1000, gid: 1001, max_sessions: 2, quota_size: 1048576, quota_files: 100,
    permissions: { '/': ['list', 'download'], '/in': ['*'] }, upload_bandwidth: 128, download_bandwidth: 256,
    filters: {
      allowed_ip: ['192.0.2.0/24'], denied_ip: ['198.51.100.7/32'], denied_login_methods: ['keyboard-interactive'],
      denied_protocols: ['FTP'], file_patterns: [{ path: '/in', allowed_patterns: ['*.csv'], denied_patterns: ['*.exe'] }],
      max_upload_file_size: 4096, tls_username: 'CommonName',
      hooks: { external_auth_disabled: true, pre_login_disabled: false, check_password_disabled: true },
      disable_fs_checks: true, web_client: ['publickey-change-disabled'],
    },
    filesystem: { provider: 1, s3config: { bucket: 'b', region: 'eu-west-1', access_key: 'AK', access_secret: secretbox(username), key_prefix: 'p/' } },
    additional_info: 'info',
    ...over,
  };
}

/** A folder with every stored field set. */
export function fullFolder(name: string, over: Partial<BaseVirtualFolder> = {}): BaseVirtualFolder {
  return {
    name, mapped_path: `/srv/folders/${name}`, description: `${name} desc`, used_quota_size: 10, used_quota_files: 1,
    last_quota_update: 1600000000000, filesystem: { provider: 4, cryptconfig: { passphrase: secretbox(`folder_${name}`) } },
    ...over,
  };
}

/** An admin with every stored field set. */
export function fullAdmin(username: string, over: Partial<Admin> = {}): Admin {
  return {
    status: 1, username, description: `${username} desc`, password: '$2a$10$abcdefghijklmnopqrstuu5Z2E4yH0rDqVbN5s7cUvB1Wl8Oq6',
    email: `${username}@example.com`, permissions: ['add_users', 'view_users'], filters: { allow_list: ['10.0.0.0/8'] },
    additional_info: 'admin info', ...over,
  };
}
