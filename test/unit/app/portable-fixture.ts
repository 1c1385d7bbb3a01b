/** Default portable flags (SFTPGo's defaults, a fixed shared dir) for the portable tests. */
import type { PortableFlags } from '../../../src/app/portable/options.js';

export const baseFlags: PortableFlags = {
  directory: '/srv/share', username: '', password: '', publicKeys: [], permissions: ['list,download'],
  allowedPatterns: [], deniedPatterns: [], sftpdPort: 0, ftpdPort: -1, webdavPort: -1, sshCommands: ['md5sum,sha1sum,cd,pwd,scp'],
  ftpdCert: '', ftpdKey: '', webdavCert: '', webdavKey: '', logFilePath: '', logVerbose: false,
  advertiseService: false, advertiseCredentials: false, filesystem: { provider: 0 },
};
