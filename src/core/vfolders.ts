/**
 * Virtual folder resolution (INVENTORY §4.5): a virtual path belongs to the deepest mount
 * containing it (the home is the mount at "/"). Each mount gets its own backend instance, built
 * lazily through the backend registry and closed with the connection.
 */
import type { FilesystemConfig, User, VirtualFolder } from '../dataprovider/models.js';
import type { Fs } from '../vfs/types.js';
import type { FsRegistry } from '../vfs/registry.js';
import { cleanVirtualPath, isUnder, parentOf } from './vpath.js';

/** One mount: the home ("/") or a virtual folder. */
export interface Mount {
  vpath: string;
  root: string;
  filesystem: FilesystemConfig;
  /** Undefined for the home. */
  folder?: VirtualFolder;
}

/** Where a virtual path lives. */
export interface Resolved {
  vpath: string;
  mount: Mount;
  /** Backend-relative path inside the mount. */
  fsPath: string;
  fs: Fs;
}

/** Backend config block of a filesystem config (what a factory receives). */
export function backendConfig(fsc: FilesystemConfig): unknown {
  switch (fsc.provider) {
    case 1: return fsc.s3config;
    case 2: return fsc.gcsconfig;
    case 3: return fsc.azblobconfig;
    case 4: return fsc.cryptconfig;
    case 5: return fsc.sftpconfig;
    default: return undefined;
  }
}

/** The mounts of one user and their backends. */
export class VirtualFs {
  readonly mounts: Mount[];
  private readonly instances = new Map<string, Promise<Fs>>();

  constructor(
    private readonly user: User,
    private readonly registry: FsRegistry,
    private readonly tempPath?: string,
  ) {
    const home: Mount = { vpath: '/', root: user.home_dir, filesystem: user.filesystem ?? { provider: 0 } };
    const folders = (user.virtual_folders ?? []).map((f): Mount => ({
      vpath: cleanVirtualPath(f.virtual_path),
      root: f.mapped_path ?? '',
      filesystem: f.filesystem ?? { provider: 0 },
      folder: f,
    }));
    // Deepest first, so the first match is the winner.
    this.mounts = [...folders, home].sort((a, b) => b.vpath.length - a.vpath.length);
  }

  /** The mount that owns `vpath` (clean). */
  mountOf(vpath: string): Mount {
    return this.mounts.find((m) => isUnder(m.vpath, vpath))!;
  }

  /** Resolves a clean virtual path to its backend. */
  async resolve(vpath: string): Promise<Resolved> {
    const mount = this.mountOf(vpath);
    const fsPath = mount.vpath === '/' ? vpath : vpath.slice(mount.vpath.length) || '/';
    return { vpath, mount, fsPath, fs: await this.fsOf(mount) };
  }

  /** Backend of a mount (created once per connection). */
  fsOf(mount: Mount): Promise<Fs> {
    let fs = this.instances.get(mount.vpath);
    if (!fs) {
      fs = Promise.resolve(this.registry.create(mount.filesystem.provider, {
        root: mount.root, config: backendConfig(mount.filesystem), tempPath: this.tempPath,
        uid: this.user.uid, gid: this.user.gid,
      }));
      fs.catch(() => this.instances.delete(mount.vpath));
      this.instances.set(mount.vpath, fs);
    }
    return fs;
  }

  /** A local backend rooted at common.temp_path, for atomic-upload temp files. */
  tempFs(): Promise<Fs> {
    let fs = this.instances.get('\0temp');
    if (!fs) {
      fs = Promise.resolve(this.registry.create('local', { root: this.tempPath ?? '', config: undefined }));
      fs.catch(() => this.instances.delete('\0temp'));
      this.instances.set('\0temp', fs);
    }
    return fs;
  }

  /** True when `vpath` is a virtual folder mount point. */
  isMountPoint(vpath: string): boolean {
    return vpath !== '/' && this.mounts.some((m) => m.vpath === vpath);
  }

  /** Mount points strictly below `vpath` (operations spanning them are refused). */
  hasMountsBelow(vpath: string): boolean {
    return this.mounts.some((m) => m.vpath !== vpath && m.vpath !== '/' && isUnder(vpath, m.vpath));
  }

  /** Names of mount points whose parent is `vdir` (injected in listings as directories). */
  childMounts(vdir: string): string[] {
    return this.mounts
      .filter((m) => m.vpath !== '/' && parentOf(m.vpath) === vdir)
      .map((m) => m.vpath.slice(vdir === '/' ? 1 : vdir.length + 1));
  }

  /** Closes every backend built for this connection. */
  async close(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
