/**
 * User permissions per virtual directory (INVENTORY §4.3): the closest configured ancestor
 * (the directory itself included) wins, lists are never merged.
 */
import type { Permission, User } from '../dataprovider/models.js';
import { permissionDenied } from '../util/errors.js';
import { cleanVirtualPath, selfAndAncestors } from './vpath.js';

/** Permission lookup for one user, keys cleaned once. */
export class Permissions {
  private readonly byDir = new Map<string, ReadonlySet<Permission>>();

  constructor(user: Pick<User, 'permissions'>) {
    for (const [dir, perms] of Object.entries(user.permissions ?? {})) {
      this.byDir.set(cleanVirtualPath(dir), new Set(perms));
    }
  }

  /** The permission set that applies in directory `vdir`. */
  forDir(vdir: string): ReadonlySet<Permission> {
    for (const d of selfAndAncestors(vdir)) {
      const set = this.byDir.get(d);
      if (set) return set;
    }
    return new Set();
  }

  /** True when `perm` is granted in `vdir`. */
  has(vdir: string, perm: Permission): boolean {
    const set = this.forDir(vdir);
    return set.has('*') || set.has(perm);
  }

  /** Throws PermissionDenied naming the missing permission and where, unless `perm` is granted in `vdir`. */
  require(vdir: string, perm: Permission): void {
    if (!this.has(vdir, perm)) throw permissionDenied(`permission denied: "${perm}" is not granted in ${vdir}`);
  }

  /** True when every one of `perms` is granted in `vdir`. */
  hasAll(vdir: string, ...perms: Permission[]): boolean {
    return perms.every((p) => this.has(vdir, p));
  }

  /** Configured directories strictly below `vdir` (directory renames re-check them). */
  dirsBelow(vdir: string): string[] {
    const prefix = vdir === '/' ? '/' : `${vdir}/`;
    return [...this.byDir.keys()].filter((d) => d !== vdir && d.startsWith(prefix));
  }
}
