/**
 * Every validation rule of users, folders and admins (INVENTORY §4.1, §4.3–4.5, §8.3) rejects bad
 * input with a problem naming the field; one call reports every problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin, BaseVirtualFolder, User } from '../../../src/dataprovider/models.js';
import { validateUser } from '../../../src/dataprovider/validate/user.js';
import { validateAdmin, validateFolder } from '../../../src/dataprovider/validate/folder-admin.js';
import { isSftpGoError, type FieldProblem } from '../../../src/util/errors.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGBFMgn3tXbMXtFm0JyG0qPZpZ8xq4cU2ApfW6b8aKyH user@host';
const opts = { skipNaturalKeysValidation: false, usersBaseDir: '' };
const good: User = { username: 'alice', status: 1, password: 'secret', home_dir: '/srv/alice', permissions: { '/': ['*'] } };

function problemsOf(fn: () => unknown): FieldProblem[] {
  try {
    fn();
  } catch (err) {
    assert.ok(isSftpGoError(err) && err.kind === 'InvalidInput', String(err));
    for (const p of err.problems) assert.ok(err.message.includes(p.field), `the message names ${p.field}`);
    return [...err.problems];
  }
  return [];
}

/** `patch` applied to a valid user must be refused with exactly one problem on `field` matching `msg`. */
function rejectsUser(patch: Partial<User> | Record<string, unknown>, field: string, msg: RegExp, o = opts): void {
  const problems = problemsOf(() => validateUser({ ...good, ...patch } as User, o));
  assert.deepEqual(problems.map((p) => p.field), [field], JSON.stringify(patch));
  assert.match(problems[0]!.message, msg, JSON.stringify(patch));
}

const filters = (f: Record<string, unknown>) => ({ filters: f });

test('a valid user passes and is normalized', () => {
  const u = validateUser({ ...good, home_dir: '/srv//alice/', permissions: { '/': ['list', '*'], '/Dir/': ['list', 'list'] }, public_keys: [KEY, ` ${KEY} `] }, opts);
  assert.equal(u.home_dir, '/srv/alice');
  assert.deepEqual(u.permissions, { '/': ['*'], '/Dir': ['list'] });
  assert.deepEqual(u.public_keys, [KEY]);
});

test('username: required, URI-unreserved characters unless skip_natural_keys_validation', () => {
  rejectsUser({ username: '' }, 'username', /required/);
  rejectsUser({ username: 'a b' }, 'username', /only letters, numbers/);
  rejectsUser({ username: 'ü' }, 'username', /only letters, numbers/);
  assert.equal(validateUser({ ...good, username: 'ü b' }, { ...opts, skipNaturalKeysValidation: true }).username, 'ü b');
});

test('home_dir: required and absolute; users_base_dir builds it', () => {
  rejectsUser({ home_dir: '' }, 'home_dir', /required/);
  rejectsUser({ home_dir: 'rel/dir' }, 'home_dir', /absolute/);
  assert.equal(validateUser({ ...good, home_dir: '' }, { ...opts, usersBaseDir: '/base' }).home_dir, '/base/alice');
});

test('status, password or key, public keys', () => {
  rejectsUser({ status: 2 as 0 }, 'status', /not one of 0, 1/);
  rejectsUser({ password: '' }, 'password', /password or at least one public key/);
  assert.equal(validateUser({ ...good, password: '', public_keys: [KEY] }, opts).password, '');
  rejectsUser({ public_keys: ['ssh-ed25519 bm90IGEga2V5'] }, 'public_keys[0]', /not a valid OpenSSH public key/);
  rejectsUser({ public_keys: 'k' as unknown as string[] }, 'public_keys', /list/);
});

test('permissions: map required, "/" required and not empty, absolute dirs, known names', () => {
  rejectsUser({ permissions: undefined as unknown as User['permissions'] }, 'permissions', /required/);
  rejectsUser({ permissions: ['*'] as unknown as User['permissions'] }, 'permissions', /required/);
  rejectsUser({ permissions: { '/sub': ['*'] } }, 'permissions', /root directory "\/" are required/);
  rejectsUser({ permissions: { '/': [] } }, 'permissions["/"]', /must not be empty/);
  rejectsUser({ permissions: { '/': ['*'], 'rel': ['list'] } }, 'permissions["rel"]', /absolute/);
  rejectsUser({ permissions: { '/': ['list', 'fly'] as never } }, 'permissions["/"][1]', /"fly" is not one of/);
  assert.deepEqual(validateUser({ ...good, permissions: { '/': ['*'], '/deny': [] } }, opts).permissions['/deny'], []);
});

test('numbers: non-negative integers', () => {
  for (const f of ['expiration_date', 'uid', 'gid', 'max_sessions', 'quota_size', 'quota_files', 'upload_bandwidth', 'download_bandwidth']) {
    rejectsUser({ [f]: -1 }, f, />= 0/);
    rejectsUser({ [f]: 1.5 }, f, />= 0/);
  }
});

test('filters: CIDRs, login methods, protocols, size, TLS username, web client', () => {
  rejectsUser(filters({ allowed_ip: ['192.0.2.0/24', '300.1.1.1/8'] }), 'filters.allowed_ip[1]', /not a valid CIDR/);
  rejectsUser(filters({ denied_ip: ['10.0.0.1'] }), 'filters.denied_ip[0]', /not a valid CIDR/);
  rejectsUser(filters({ denied_login_methods: ['password', 'magic'] }), 'filters.denied_login_methods[1]', /not one of/);
  rejectsUser(filters({ denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+password',
    'publickey+keyboard-interactive', 'TLSCertificate', 'TLSCertificate+password'] }), 'filters.denied_login_methods', /every login method/);
  rejectsUser(filters({ denied_protocols: ['SSH', 'SMB'] }), 'filters.denied_protocols[1]', /not one of/);
  rejectsUser(filters({ denied_protocols: ['SSH', 'FTP', 'DAV', 'HTTP'] }), 'filters.denied_protocols', /every protocol/);
  rejectsUser(filters({ max_upload_file_size: -5 }), 'filters.max_upload_file_size', />= 0/);
  rejectsUser(filters({ tls_username: 'Subject' }), 'filters.tls_username', /not one of/);
  rejectsUser(filters({ web_client: ['write-disabled'] }), 'filters.web_client[0]', /not one of/);
});

test('filters.file_patterns: absolute unique paths, valid globs, at least one pattern; lower-cased', () => {
  const fp = (list: unknown[]) => filters({ file_patterns: list });
  rejectsUser(fp([{ path: 'rel', allowed_patterns: ['*.txt'] }]), 'filters.file_patterns[0].path', /absolute/);
  rejectsUser(fp([{ path: '/a', denied_patterns: ['*.exe'] }, { path: '/a/', allowed_patterns: ['*'] }]), 'filters.file_patterns[1].path', /duplicated/);
  rejectsUser(fp([{ path: '/a', allowed_patterns: ['[a-'] }]), 'filters.file_patterns[0].allowed_patterns[0]', /not a valid pattern/);
  rejectsUser(fp([{ path: '/a', denied_patterns: ['x\\'] }]), 'filters.file_patterns[0].denied_patterns[0]', /not a valid pattern/);
  rejectsUser(fp([{ path: '/a' }]), 'filters.file_patterns[0]', /at least one/);
  const u = validateUser({ ...good, ...fp([{ path: '/A/', allowed_patterns: ['*.JPG'] }]) } as User, opts);
  assert.deepEqual(u.filters!.file_patterns, [{ path: '/A', allowed_patterns: ['*.jpg'], denied_patterns: [] }]);
});

test('virtual folders: name, virtual path not "/" and unique, quota -1 both or >= 0, mapped paths', () => {
  const vf = (list: unknown[]) => ({ virtual_folders: list });
  rejectsUser(vf([{ name: '', virtual_path: '/v', mapped_path: '/m' }]), 'virtual_folders[0].name', /required/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/', mapped_path: '/m' }]), 'virtual_folders[0].virtual_path', /other than "\/"/);
  rejectsUser(vf([{ name: 'f', virtual_path: 'v', mapped_path: '/m' }]), 'virtual_folders[0].virtual_path', /absolute/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/m1' }, { name: 'g', virtual_path: '/v/', mapped_path: '/m2' }]),
    'virtual_folders[1].virtual_path', /duplicated/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/m', quota_size: -1, quota_files: 0 }]), 'virtual_folders[0].quota_size', /both be -1/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/m', quota_size: -2, quota_files: 3 }]), 'virtual_folders[0].quota_size', />= -1/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: 'm' }]), 'virtual_folders[0].mapped_path', /absolute/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/srv/alice/sub' }]), 'virtual_folders[0].mapped_path', /overlaps the home/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/srv' }]), 'virtual_folders[0].mapped_path', /overlaps the home/);
  rejectsUser(vf([{ name: 'f', virtual_path: '/v', mapped_path: '/m' }, { name: 'g', virtual_path: '/w', mapped_path: '/m' }]),
    'virtual_folders[1].mapped_path', /mapped by another folder/);
  const nested = validateUser({ ...good, ...vf([{ name: 'f', virtual_path: '/a', mapped_path: '/m1', quota_size: -1, quota_files: -1 },
    { name: 'g', virtual_path: '/a/b', mapped_path: '/m2' }]) } as User, opts);
  assert.deepEqual(nested.virtual_folders!.map((f) => f.virtual_path), ['/a', '/a/b'], 'nested virtual folders are allowed');
});

test('filesystem: provider code and the required fields of the chosen backend; other blocks dropped', () => {
  const fs = (f: Record<string, unknown>) => ({ filesystem: f });
  rejectsUser(fs({ provider: 9 }), 'filesystem.provider', /not one of/);
  rejectsUser(fs({ provider: 1, s3config: { region: 'r' } }), 'filesystem.s3config.bucket', /required/);
  rejectsUser(fs({ provider: 1, s3config: { bucket: 'b' } }), 'filesystem.s3config.region', /required/);
  rejectsUser(fs({ provider: 1, s3config: { bucket: 'b', region: 'r', key_prefix: '/p' } }), 'filesystem.s3config.key_prefix', /must not start/);
  rejectsUser(fs({ provider: 2, gcsconfig: {} }), 'filesystem.gcsconfig.bucket', /required/);
  rejectsUser(fs({ provider: 3, azblobconfig: { key_prefix: '/x' } }), 'filesystem.azblobconfig.key_prefix', /must not start/);
  rejectsUser(fs({ provider: 4, cryptconfig: {} }), 'filesystem.cryptconfig.passphrase', /required/);
  rejectsUser(fs({ provider: 5, sftpconfig: { username: 'u' } }), 'filesystem.sftpconfig.endpoint', /required/);
  rejectsUser(fs({ provider: 5, sftpconfig: { endpoint: 'h:22' } }), 'filesystem.sftpconfig.username', /required/);
  const kept = validateUser({ ...good, filesystem: { provider: 2, gcsconfig: { bucket: 'b' }, s3config: { bucket: 'x' } } }, opts);
  assert.deepEqual(kept.filesystem, { provider: 2, gcsconfig: { bucket: 'b' } });
});

test('every problem of a user is reported at once', () => {
  const problems = problemsOf(() => validateUser({
    username: 'bad name', status: 3 as 0, home_dir: 'rel', permissions: { '/x': ['*'] }, quota_size: -1,
    filters: { allowed_ip: ['nope'] }, filesystem: { provider: 1 },
  } as User, opts));
  assert.deepEqual(problems.map((p) => p.field).sort(), ['filesystem.s3config.bucket', 'filesystem.s3config.region', 'filters.allowed_ip[0]',
    'home_dir', 'password', 'permissions', 'quota_size', 'status', 'username']);
});

test('folders: name, mapped path required for local/crypt and absolute, filesystem rules', () => {
  const folder = (f: Partial<BaseVirtualFolder>) => problemsOf(() => validateFolder({ name: 'f', mapped_path: '/m', ...f } as BaseVirtualFolder, false));
  assert.deepEqual(folder({}), []);
  assert.deepEqual(folder({ name: '' }).map((p) => p.field), ['name']);
  assert.deepEqual(folder({ name: 'a/b' }).map((p) => p.field), ['name']);
  assert.deepEqual(folder({ mapped_path: '' }).map((p) => p.field), ['mapped_path']);
  assert.deepEqual(folder({ mapped_path: 'rel' }).map((p) => p.field), ['mapped_path']);
  assert.deepEqual(folder({ mapped_path: '', filesystem: { provider: 1, s3config: { bucket: 'b' } } }).map((p) => p.field), ['filesystem.s3config.region']);
  const cleaned = validateFolder({ name: 'f', mapped_path: '/a//b/../c/', users: ['x'] }, false);
  assert.equal(cleaned.mapped_path, '/a/c');
  assert.equal(cleaned.users, undefined, 'users is read-only');
});

test('admins: username, password, status, permissions, email, allow list', () => {
  const good: Admin = { username: 'root', password: 'pw', status: 1, permissions: ['add_users', '*'] };
  assert.deepEqual(validateAdmin(good, false).permissions, ['*']);
  const admin = (a: Partial<Admin>) => problemsOf(() => validateAdmin({ ...good, ...a } as Admin, false)).map((p) => p.field);
  assert.deepEqual(admin({ username: 'r t' }), ['username']);
  assert.deepEqual(admin({ password: '' }), ['password']);
  assert.deepEqual(admin({ status: 5 as 0 }), ['status']);
  assert.deepEqual(admin({ permissions: [] }), ['permissions']);
  assert.deepEqual(admin({ permissions: ['add_users', 'fly'] as never }), ['permissions[1]']);
  assert.deepEqual(admin({ email: 'not-an-email' }), ['email']);
  assert.deepEqual(admin({ filters: { allow_list: ['10.0.0.0/8', 'x'] } }), ['filters.allow_list[1]']);
});
