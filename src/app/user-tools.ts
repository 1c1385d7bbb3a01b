/**
 * `sftpgo user add|list|get|update|delete` (CLI.md): users built from a few flags, saved through
 * the data service (validation, hashing, user actions). Output records are redacted: no password
 * hash, secrets shown as "Redacted", as the REST API shows them.
 */
import type { Permission, User } from '../dataprovider/models.js';
import type { ListOptions } from '../dataprovider/types.js';
import type { DataSession } from './data-session.js';

/** The user fields the CLI sets; an absent field is left as it is (update) or empty (add). */
export interface UserFields {
  password?: string;
  homeDir?: string;
  /** Permissions for "/": `["*"]` or names like `list`, `download`. */
  permissions?: string[];
  publicKeys?: string[];
  quotaSize?: number;
  quotaFiles?: number;
  description?: string;
}

function apply(user: User, f: UserFields): User {
  const out: User = { ...user };
  if (f.password !== undefined) out.password = f.password;
  if (f.homeDir !== undefined) out.home_dir = f.homeDir;
  if (f.permissions !== undefined) out.permissions = { ...user.permissions, '/': f.permissions as Permission[] };
  if (f.publicKeys !== undefined) out.public_keys = f.publicKeys;
  if (f.quotaSize !== undefined) out.quota_size = f.quotaSize;
  if (f.quotaFiles !== undefined) out.quota_files = f.quotaFiles;
  if (f.description !== undefined) out.description = f.description;
  return out;
}

/** Adds an enabled user; permissions for "/" default to all. */
export async function addUser(s: DataSession, username: string, f: UserFields): Promise<User> {
  const base: User = { username, status: 1, home_dir: '', permissions: { '/': ['*'] } };
  return s.data.redactUser(await s.data.addUser(apply(base, f)));
}

/** Changes the given fields of an existing user; the others (password included) are kept. */
export async function updateUser(s: DataSession, username: string, f: UserFields): Promise<User> {
  const stored = await s.data.getUser(username);
  return s.data.redactUser(await s.data.updateUser(apply(stored, f)));
}

/** One page of users, ordered by username. */
export async function listUsers(s: DataSession, opts: ListOptions): Promise<User[]> {
  return (await s.data.listUsers(opts)).map((u) => s.data.redactUser(u));
}

/** One user. */
export async function getUser(s: DataSession, username: string): Promise<User> {
  return s.data.redactUser(await s.data.getUser(username));
}

/** Deletes a user (its files stay). */
export function deleteUser(s: DataSession, username: string): Promise<void> {
  return s.data.deleteUser(username);
}
