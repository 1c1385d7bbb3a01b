/**
 * The user form (add, edit, clone, and the user template): account, limits, per-directory
 * permissions, virtual folders, filters (IPs, login methods, protocols, file patterns, hooks,
 * web client options) and the storage backend. Values come from a redacted stored user or from
 * the submitted form shown again with its error.
 */
import {
  LOGIN_METHODS, PERMISSIONS, SUPPORTED_PROTOCOLS, WEB_CLIENT_OPTIONS, type User, type VirtualFolder,
} from '../../../../dataprovider/models.js';
import { checkbox, checkGroup, input, postForm, select, textarea } from '../controls.js';
import { html, type SafeHtml } from '../html.js';
import { fsFields } from './fs-form.js';

export type UserFormMode = 'add' | 'edit' | 'template';

/** Unix ms to the date input's YYYY-MM-DD (UTC); empty for "never". */
export function msToDate(ms: number | undefined): string {
  return ms && ms > 0 ? new Date(ms).toISOString().slice(0, 10) : '';
}

function pathLines(entries: [string, string[] | undefined][]): string {
  return entries.filter(([, v]) => v && v.length > 0).map(([p, v]) => `${p}::${(v ?? []).join(',')}`).join('\n');
}

function accountFields(u: User, mode: UserFormMode): SafeHtml {
  const status = select('Status', 'status', [['1', 'Active'], ['0', 'Inactive']], String(u.status ?? 1));
  if (mode === 'template') return html`<div class="grid">${status}${input('Expiration date', 'expiration_date', msToDate(u.expiration_date), 'date')}</div>`;
  const name = mode === 'edit'
    ? html`<div class="field"><label for="username">Username</label><input type="text" id="username" name="username" value="${u.username}" readonly></div>`
    : input('Username', 'username', u.username, 'text', { required: true });
  const pwHelp = mode === 'edit' ? 'Leave empty to keep the current password' : 'A password or at least one public key is required';
  return html`<div class="grid">${name}${status}${input('Expiration date', 'expiration_date', msToDate(u.expiration_date), 'date')}
    ${input('Password', 'password', '', 'password', { help: pwHelp, autocomplete: 'new-password' })}</div>
    ${textarea('Public keys', 'public_keys', (u.public_keys ?? []).join('\n'), { help: 'One OpenSSH public key per line' })}`;
}

function limitFields(u: User, mode: UserFormMode): SafeHtml {
  const homeHelp = mode === 'template' ? 'Absolute path; %username% is replaced' : 'Absolute path; empty uses users_base_dir/username when set';
  return html`<fieldset><legend>Home and limits</legend>${input('Home directory', 'home_dir', u.home_dir, 'text', { help: homeHelp })}
  <div class="grid">${input('UID', 'uid', u.uid ?? 0, 'number')}${input('GID', 'gid', u.gid ?? 0, 'number')}
  ${input('Max sessions', 'max_sessions', u.max_sessions ?? 0, 'number', { help: '0 means no limit' })}
  ${input('Quota size (bytes)', 'quota_size', u.quota_size ?? 0, 'number', { help: '0 means no limit' })}
  ${input('Quota files', 'quota_files', u.quota_files ?? 0, 'number', { help: '0 means no limit' })}
  ${input('Upload bandwidth (KB/s)', 'upload_bandwidth', u.upload_bandwidth ?? 0, 'number', { help: '0 means no limit' })}
  ${input('Download bandwidth (KB/s)', 'download_bandwidth', u.download_bandwidth ?? 0, 'number', { help: '0 means no limit' })}
  ${input('Max upload file size (bytes)', 'max_upload_file_size', u.filters?.max_upload_file_size ?? 0, 'number', { help: '0 means no limit' })}</div></fieldset>`;
}

function permissionFields(u: User): SafeHtml {
  const perms = u.permissions ?? { '/': ['*'] };
  const sub = pathLines(Object.entries(perms).filter(([p]) => p !== '/'));
  return html`<fieldset><legend>Permissions</legend>${checkGroup('Permissions on /', 'permissions', PERMISSIONS, perms['/'] ?? [])}
  ${textarea('Sub-directory permissions', 'sub_dirs_permissions', sub, { help: 'One per line: /dir::list,download' })}</fieldset>`;
}

function folderRow(vf: Partial<VirtualFolder>): SafeHtml {
  return html`<tr><td><input type="text" name="vfolder_path" value="${vf.virtual_path ?? ''}" aria-label="Virtual path"></td>
  <td><input type="text" name="vfolder_name" value="${vf.name ?? ''}" aria-label="Folder name"></td>
  <td><input type="number" min="-1" name="vfolder_quota_size" value="${vf.quota_size ?? -1}" aria-label="Quota size"></td>
  <td><input type="number" min="-1" name="vfolder_quota_files" value="${vf.quota_files ?? -1}" aria-label="Quota files"></td></tr>`;
}

function folderFields(u: User): SafeHtml {
  const rows = [...(u.virtual_folders ?? []).map(folderRow), folderRow({}), folderRow({}), folderRow({})];
  return html`<fieldset><legend>Virtual folders</legend><table><thead><tr><th>Virtual path</th><th>Folder name</th><th>Quota size</th><th>Quota files</th></tr></thead>
  <tbody>${rows}</tbody></table><div class="help">The folder must exist (see Folders). Quota -1/-1: included in the user quota; 0: unlimited. Empty rows are ignored.</div></fieldset>`;
}

function filterFields(u: User): SafeHtml {
  const f = u.filters ?? {};
  const patterns = f.file_patterns ?? [];
  return html`<fieldset><legend>Restrictions</legend><div class="grid">
  ${input('Allowed IP/Mask', 'allowed_ip', (f.allowed_ip ?? []).join(','), 'text', { help: 'Comma separated, like 192.168.1.0/24,10.8.0.100/32' })}
  ${input('Denied IP/Mask', 'denied_ip', (f.denied_ip ?? []).join(','), 'text', { help: 'Comma separated' })}</div>
  ${checkGroup('Denied login methods', 'denied_login_methods', LOGIN_METHODS, f.denied_login_methods ?? [])}
  ${checkGroup('Denied protocols', 'denied_protocols', SUPPORTED_PROTOCOLS, f.denied_protocols ?? [])}
  ${textarea('Allowed file patterns', 'allowed_patterns', pathLines(patterns.map((p) => [p.path, p.allowed_patterns])), { help: 'One per line: /dir::*.jpg,*.png' })}
  ${textarea('Denied file patterns', 'denied_patterns', pathLines(patterns.map((p) => [p.path, p.denied_patterns])), { help: 'One per line: /dir::*.zip' })}
  ${select('TLS username', 'tls_username', [['None', 'None'], ['CommonName', 'Common Name']], f.tls_username ?? 'None')}
  ${checkbox('Disable the external authentication hook', 'external_auth_disabled', f.hooks?.external_auth_disabled === true)}
  ${checkbox('Disable the pre-login hook', 'pre_login_disabled', f.hooks?.pre_login_disabled === true)}
  ${checkbox('Disable the check password hook', 'check_password_disabled', f.hooks?.check_password_disabled === true)}
  ${checkbox('Disable filesystem checks', 'disable_fs_checks', f.disable_fs_checks === true, 'Do not create the home directory or check it at login')}
  ${checkGroup('Web client', 'web_client', WEB_CLIENT_OPTIONS, f.web_client ?? [])}</fieldset>`;
}

function templateRows(): SafeHtml {
  const row = html`<tr><td><input type="text" name="tpl_username" aria-label="Username"></td><td><input type="password" name="tpl_password" aria-label="Password" autocomplete="new-password"></td>
  <td><input type="text" name="tpl_public_keys" aria-label="Public key"></td></tr>`;
  return html`<fieldset><legend>Users to generate</legend><table><thead><tr><th>Username</th><th>Password</th><th>Public key</th></tr></thead>
  <tbody>${[row, row, row, row, row]}</tbody></table><div class="help">%username% and %password% in the fields below are replaced for each row. Empty rows are ignored.</div></fieldset>`;
}

/** The whole form; `action` is where it posts. */
export function userForm(u: User, mode: UserFormMode, action: string, csrf: string): SafeHtml {
  const submit = { add: 'Add user', edit: 'Save user', template: 'Generate and download' }[mode];
  return postForm(action, csrf, html`${mode === 'template' ? templateRows() : ''}
  <fieldset><legend>Account</legend>${accountFields(u, mode)}
  ${input('Description', 'description', u.description)}${textarea('Additional info', 'additional_info', u.additional_info ?? '')}</fieldset>
  ${limitFields(u, mode)}${permissionFields(u)}${folderFields(u)}${filterFields(u)}${fsFields(u.filesystem)}
  <div class="actions"><button type="submit">${submit}</button></div>`, { id: 'user-form' });
}
