/**
 * Web admin page modules without a server: the user, folder and admin forms render hostile
 * values escaped and never render a stored secret; the posted forms parse into the records the
 * data service validates, with field-named problems for shape errors; templates fill their
 * placeholders; the status and connections views escape what they show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { User } from '../../../../../src/dataprovider/models.js';
import { REDACTED_PLACEHOLDER, fsFromForm } from '../../../../../src/protocols/http/web/admin/fs-form.js';
import { userForm } from '../../../../../src/protocols/http/web/admin/user-form.js';
import { userFromForm } from '../../../../../src/protocols/http/web/admin/user-parse.js';
import { folderFields, folderFromForm } from '../../../../../src/protocols/http/web/admin/folders.js';
import { adminFields, adminFromForm } from '../../../../../src/protocols/http/web/admin/managers.js';
import { fillFs, folderFromTemplate, templateRows, userFromTemplate } from '../../../../../src/protocols/http/web/admin/templates.js';
import { statusBody, bindingText } from '../../../../../src/protocols/http/web/admin/status.js';
import { transferText } from '../../../../../src/protocols/http/web/admin/connections.js';
import { restoreOptionsOf } from '../../../../../src/protocols/http/web/admin/maintenance.js';
import { FormReader } from '../../../../../src/protocols/http/web/forms.js';

const EVIL = `"><script>alert(1)</script>`;

function assertNoMarkupInjection(out: string): void {
  assert.ok(!out.includes('<script>alert(1)'), 'hostile markup rendered as markup');
  assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'hostile value not shown escaped');
}

const hostileUser: User = {
  username: EVIL, status: 1, home_dir: `/srv/${EVIL}`, description: EVIL, additional_info: EVIL, public_keys: [EVIL],
  permissions: { '/': ['list'], [`/d${EVIL}`]: ['download'] },
  virtual_folders: [{ name: EVIL, virtual_path: `/v${EVIL}`, quota_size: -1, quota_files: -1 }],
  filters: { allowed_ip: [EVIL], file_patterns: [{ path: '/p', denied_patterns: [EVIL] }] },
  filesystem: { provider: 1, s3config: { bucket: EVIL, access_secret: { status: 'Secretbox', payload: 'STORED-SECRET-PAYLOAD', key: 'K' } } },
};

test('user form (add/edit/template): every hostile value is escaped; a stored secret shows only the placeholder', () => {
  for (const mode of ['add', 'edit', 'template'] as const) {
    const out = userForm(hostileUser, mode, '/web/admin/user', 'CSRF').value;
    assertNoMarkupInjection(out);
    assert.ok(!out.includes('STORED-SECRET-PAYLOAD'), `${mode}: secret payload leaked`);
    assert.ok(out.includes(`value="${REDACTED_PLACEHOLDER}"`), `${mode}: placeholder missing`);
    assert.ok(out.includes('name="_form_token" value="CSRF"'), `${mode}: CSRF field missing`);
  }
  assert.match(userForm(hostileUser, 'edit', '/x', 't').value, /name="username" value="[^"]*" readonly/);
  assert.ok(userForm(hostileUser, 'template', '/x', 't').value.includes('name="tpl_username"'));
});

test('user form parse: permissions, sub-dirs, folders, patterns, filters and S3 with a kept secret', () => {
  const q = new URLSearchParams([
    ['username', ' alice '], ['status', '0'], ['expiration_date', '2030-01-02'], ['password', ' pw '], ['public_keys', 'k1\r\n\r\nk2'],
    ['home_dir', '/srv/alice'], ['quota_size', '100'], ['permissions', 'list'], ['permissions', 'download'],
    ['sub_dirs_permissions', '/in::upload, list\n/out::download'],
    ['vfolder_path', '/v1'], ['vfolder_name', 'f1'], ['vfolder_quota_size', '10'], ['vfolder_quota_files', '2'],
    ['vfolder_path', ''], ['vfolder_name', ''], ['vfolder_quota_size', '-1'], ['vfolder_quota_files', '-1'],
    ['allowed_patterns', '/img::*.jpg,*.png'], ['denied_patterns', '/img::*.exe'], ['allowed_ip', '10.0.0.0/8, 192.168.1.1/32'],
    ['denied_protocols', 'FTP'], ['web_client', 'publickey-change-disabled'], ['pre_login_disabled', '1'],
    ['fs_provider', '1'], ['s3_bucket', 'b'], ['s3_access_secret', REDACTED_PLACEHOLDER], ['s3_upload_part_size', '5'],
  ]);
  const { user, reader } = userFromForm(q);
  assert.deepEqual(reader.problems, []);
  assert.equal(user.username, 'alice');
  assert.equal(user.password, ' pw ', 'passwords are taken as typed');
  assert.equal(user.status, 0);
  assert.equal(user.expiration_date, Date.UTC(2030, 0, 2));
  assert.deepEqual(user.public_keys, ['k1', 'k2']);
  assert.deepEqual(user.permissions, { '/': ['list', 'download'], '/in': ['upload', 'list'], '/out': ['download'] });
  assert.deepEqual(user.virtual_folders, [{ name: 'f1', virtual_path: '/v1', quota_size: 10, quota_files: 2 }]);
  assert.deepEqual(user.filters?.file_patterns, [{ path: '/img', allowed_patterns: ['*.jpg', '*.png'], denied_patterns: ['*.exe'] }]);
  assert.deepEqual(user.filters?.allowed_ip, ['10.0.0.0/8', '192.168.1.1/32']);
  assert.equal(user.filters?.hooks?.pre_login_disabled, true);
  assert.deepEqual(user.filesystem, { provider: 1, s3config: { bucket: 'b', access_secret: { status: 'Redacted' }, upload_part_size: 5, upload_concurrency: 0 } });
});

test('user form parse: shape errors name their field', () => {
  const q = new URLSearchParams([['quota_files', 'many'], ['expiration_date', '02/01/2030'], ['sub_dirs_permissions', 'no-separator'],
    ['vfolder_path', '/v'], ['vfolder_name', ''], ['fs_provider', '9']]);
  const fields = userFromForm(q).reader.problems.map((p) => p.field).sort();
  assert.deepEqual(fields, ['expiration_date', 'fs_provider', 'quota_files', 'sub_dirs_permissions', 'virtual_folders[0]']);
});

test('storage parse: only the selected backend is kept; an empty secret is dropped, a typed one is Plain', () => {
  const f = (pairs: [string, string][]) => fsFromForm(new FormReader(new URLSearchParams(pairs)));
  assert.deepEqual(f([['fs_provider', '0'], ['s3_bucket', 'ignored']]), { provider: 0 });
  assert.deepEqual(f([['fs_provider', '4'], ['crypt_passphrase', 'secret words']]), { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'secret words' } } });
  assert.deepEqual(f([['fs_provider', '5'], ['sftp_endpoint', 'h:22'], ['sftp_password', ''], ['sftp_fingerprints', 'SHA256:a\nSHA256:b']]).sftpconfig,
    { endpoint: 'h:22', fingerprints: ['SHA256:a', 'SHA256:b'], disable_concurrent_reads: false, buffer_size: 0 });
});

test('folder and admin forms escape hostile values; their parsers read every field', () => {
  const folderOut = folderFields({ name: EVIL, mapped_path: EVIL, description: EVIL }, 'add').value;
  assertNoMarkupInjection(folderOut);
  const { folder } = folderFromForm(new URLSearchParams('name=f&mapped_path=/m&description=d&fs_provider=0'));
  assert.deepEqual(folder, { name: 'f', mapped_path: '/m', description: 'd', filesystem: { provider: 0 } });
  const adminOut = adminFields({ username: EVIL, status: 1, permissions: ['*'], email: EVIL, description: EVIL, filters: { allow_list: [EVIL] } }, true).value;
  assertNoMarkupInjection(adminOut);
  const admin = adminFromForm(new URLSearchParams('username=a&password=p&status=0&permissions=view_users&permissions=quota_scans&allow_list=10.0.0.0/8'));
  assert.deepEqual(admin, { username: 'a', password: 'p', status: 0, email: '', permissions: ['view_users', 'quota_scans'], filters: { allow_list: ['10.0.0.0/8'] }, description: '', additional_info: '' });
});

test('user template: %username% and %password% fill home, folders, texts, key prefixes and plain secrets', () => {
  const tpl: User = {
    username: '', status: 1, home_dir: '/home/%username%', permissions: { '/': ['*'] }, description: 'user %username%',
    virtual_folders: [{ name: 'shared-%username%', virtual_path: '/%username%', quota_size: -1, quota_files: -1 }],
    filesystem: { provider: 5, sftpconfig: { endpoint: 'h:22', username: '%username%', password: { status: 'Plain', payload: '%password%' }, prefix: '/%username%' } },
  };
  const u = userFromTemplate(tpl, { username: 'bob', password: 'x-%username%', publicKey: '' });
  assert.equal(u.password, 'x-bob');
  assert.equal(u.home_dir, '/home/bob');
  assert.equal(u.description, 'user bob');
  assert.deepEqual(u.virtual_folders?.[0], { name: 'shared-bob', virtual_path: '/bob', quota_size: -1, quota_files: -1 });
  assert.deepEqual(u.filesystem?.sftpconfig, { endpoint: 'h:22', username: 'bob', password: { status: 'Plain', payload: 'x-bob' }, prefix: '/bob' });
  assert.equal(tpl.home_dir, '/home/%username%', 'the template itself is not changed');
  assert.equal(fillFs(undefined, (s) => s), undefined);
  const f = folderFromTemplate({ name: '', mapped_path: '/data/%name%', description: '%name% data' }, 'proj');
  assert.deepEqual({ name: f.name, mapped_path: f.mapped_path, description: f.description }, { name: 'proj', mapped_path: '/data/proj', description: 'proj data' });
  const rows = templateRows(new URLSearchParams('tpl_username=a&tpl_password=1&tpl_public_keys=&tpl_username=&tpl_password=&tpl_public_keys=&tpl_username=c&tpl_password=3&tpl_public_keys=k'));
  assert.deepEqual(rows, [{ username: 'a', password: '1', publicKey: '' }, { username: 'c', password: '3', publicKey: 'k' }]);
});

test('status view escapes bindings, provider errors and host keys', () => {
  const out = statusBody({
    ssh: { is_active: true, bindings: [{ address: EVIL, port: 22, apply_proxy_config: true }], host_keys: [{ path: EVIL, fingerprint: 'SHA256:x' }], ssh_commands: ['md5sum'] },
    ftp: { is_active: false }, webdav: { is_active: false }, data_provider: { is_active: false, driver: 'sqlite', error: EVIL }, defender: { is_active: true },
  }).value;
  assertNoMarkupInjection(out);
  assert.ok(out.includes('SHA256:x'));
  assert.equal(bindingText({ address: '', port: 2022, apply_proxy_config: false, tls_mode: 1 }), '0.0.0.0:2022 (apply_proxy_config=false, tls_mode=1)');
});

test('connections: transfer speed and size text; restore options are checked', () => {
  assert.equal(transferText({ operation_type: 'upload', path: '/f', start_time: 0, size: 2048 * 2 }, 2000), 'UL /f 4.0 KB (2.0 KB/s)');
  assert.deepEqual(restoreOptionsOf(new URLSearchParams('mode=2&scan_quota=1')), { mode: 2, scanQuota: 1 });
  assert.throws(() => restoreOptionsOf(new URLSearchParams('mode=7&scan_quota=x')), /mode: must be 0, 1 or 2; scan_quota/);
});
