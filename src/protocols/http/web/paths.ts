/**
 * The URL paths of the web UIs (SFTPGo v2.1.2 names), under the optional `httpd.web_root` prefix
 * (INVENTORY §2.6: it moves `/web/...` and `/static`; the REST API paths do not move).
 */
import { posix } from 'node:path';

export interface WebPaths {
  root: string;
  web: string;
  static: string;
  admin: {
    base: string; setup: string; login: string; logout: string; users: string; user: string;
    folders: string; folder: string; connections: string; status: string; managers: string;
    manager: string; maintenance: string; backup: string; restore: string; scanUser: string;
    scanFolder: string; changePwd: string; templateUser: string; templateFolder: string;
    defender: string; defenderHosts: string;
  };
  client: {
    base: string; login: string; logout: string; files: string; listDir: string;
    downloadZip: string; credentials: string; changePwd: string; manageKeys: string;
  };
}

/** Paths for a web_root ("" or a non-absolute value means none, as SFTPGo ignores it). */
export function webPaths(webRoot: string): WebPaths {
  const base = webRoot.startsWith('/') ? webRoot : '/';
  const j = (p: string) => posix.join(base, p);
  const a = (p: string) => j(`/web/admin${p}`);
  const c = (p: string) => j(`/web/client${p}`);
  return {
    // Trailing slashes are stripped before routing, so "/sftpgo/" is served as "/sftpgo".
    root: j('/').replace(/(.)\/+$/, '$1'), web: j('/web'), static: j('/static'),
    admin: {
      base: a(''), setup: a('/setup'), login: a('/login'), logout: a('/logout'), users: a('/users'), user: a('/user'),
      folders: a('/folders'), folder: a('/folder'), connections: a('/connections'), status: a('/status'),
      managers: a('/managers'), manager: a('/manager'), maintenance: a('/maintenance'), backup: a('/backup'),
      restore: a('/restore'), scanUser: a('/quotas/scanuser'), scanFolder: a('/quotas/scanfolder'),
      changePwd: a('/changepwd'), templateUser: a('/template/user'), templateFolder: a('/template/folder'),
      defender: a('/defender'), defenderHosts: a('/defender/hosts'),
    },
    client: {
      base: c(''), login: c('/login'), logout: c('/logout'), files: c('/files'), listDir: c('/listdir'),
      downloadZip: c('/downloadzip'), credentials: c('/credentials'), changePwd: c('/changepwd'), manageKeys: c('/managekeys'),
    },
  };
}

/** A path with one URL-encoded trailing segment (usernames, folder names, ids). */
export function withName(path: string, name: string): string {
  return `${path}/${encodeURIComponent(name)}`;
}
