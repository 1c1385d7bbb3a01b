/** Folder and admin validation (INVENTORY §4.5, §8.3): every problem, field-named. */
import { isAbsolute } from 'node:path';
import { ADMIN_PERMISSIONS, type Admin, type AdminPermission, type BaseVirtualFolder } from '../models.js';
import { validationError } from '../../util/errors.js';
import { add, checkCidrs, checkEnum, checkName, checkSubset, cleanPath, type Problems } from './common.js';
import { checkFilesystem } from './filesystem.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateFolder(input: BaseVirtualFolder, skipNaturalKeys: boolean): BaseVirtualFolder {
  const problems: Problems = [];
  const folder = structuredClone(input);
  delete folder.users;
  checkName(problems, 'name', folder.name, skipNaturalKeys);
  folder.filesystem = checkFilesystem(problems, 'filesystem', folder.filesystem);
  const local = folder.filesystem.provider === 0 || folder.filesystem.provider === 4;
  if (local && !folder.mapped_path) add(problems, 'mapped_path', 'is required for local folders');
  else if (folder.mapped_path && !isAbsolute(folder.mapped_path)) add(problems, 'mapped_path', `"${folder.mapped_path}" must be an absolute path`);
  else if (folder.mapped_path) folder.mapped_path = cleanPath(folder.mapped_path);
  if (problems.length) throw validationError(problems);
  return folder;
}

export function validateAdmin(input: Admin, skipNaturalKeys: boolean): Admin {
  const problems: Problems = [];
  const admin = structuredClone(input);
  checkName(problems, 'username', admin.username, skipNaturalKeys);
  if (!admin.password) add(problems, 'password', 'is required');
  checkEnum(problems, 'status', admin.status, [0, 1]);
  const perms = checkSubset<AdminPermission>(problems, 'permissions', admin.permissions, ADMIN_PERMISSIONS) ?? [];
  if (perms.length === 0) add(problems, 'permissions', 'at least one permission is required');
  admin.permissions = perms.includes('*') ? ['*'] : perms;
  if (admin.email && !EMAIL.test(admin.email)) add(problems, 'email', `"${admin.email}" is not a valid email address`);
  checkCidrs(problems, 'filters.allow_list', admin.filters?.allow_list);
  if (problems.length) throw validationError(problems);
  return admin;
}
