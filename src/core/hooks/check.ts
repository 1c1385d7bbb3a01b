/**
 * Start-up checks of hook settings (INVENTORY §5): a value that does not start with "http" must
 * be an absolute path to an existing executable. SFTPGo refuses to start when a data provider hook
 * (pre_login, external_auth, post_login, check_password) or sftpd's keyboard_interactive_auth_hook
 * is wrong; found only at the first login, the same mistake would lock every user out with nothing
 * but an authentication failure to show for it. Config validation (src/config/checks.ts) already
 * refuses relative paths and missing provider hooks at load; this adds what needs the file itself
 * for the hooks the config does not stat (keyboard_interactive_auth_hook) and executability.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { invalidInput } from '../../util/errors.js';
import { isHttpHook } from './exec.js';

/** Why `value` cannot be run as a hook program, or undefined when it can (or is a URL / empty). */
export async function hookProgramProblem(value: string): Promise<string | undefined> {
  if (!value || isHttpHook(value)) return undefined;
  if (!isAbsolute(value)) return `"${value}" must be an absolute path (or an http(s) URL)`;
  const info = await stat(value).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) return `"${value}": ${info.code === 'ENOENT' ? 'no such file' : info.message}`;
  if (!info.isFile()) return `"${value}" is not a regular file`;
  if (await access(value, constants.X_OK).then(() => false, () => true)) return `"${value}" is not executable`;
  return undefined;
}

/** Throws InvalidInput listing every hook of `hooks` (field name → value) that cannot be run. */
export async function checkHookPrograms(hooks: Record<string, string>): Promise<void> {
  const problems: { field: string; message: string }[] = [];
  for (const [field, value] of Object.entries(hooks)) {
    const message = await hookProgramProblem(value);
    if (message) problems.push({ field, message });
  }
  if (problems.length > 0) {
    throw invalidInput(`invalid hook: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  }
}
