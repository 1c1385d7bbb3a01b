/** What portable mode prints on start: the user, and the exact commands to connect with the real ports. */
import type { PortableInfo } from './run.js';

export function connectHints(info: PortableInfo, directory: string, listening: string[]): string {
  const shownPassword = info.passwordGenerated ? info.password : info.password ? '[redacted]' : '(public key only)';
  const lines = [
    `Portable mode ready: sharing "${directory}" as user "${info.username}", password ${shownPassword}`,
    ...listening.map((l) => `  listening ${l}`),
  ];
  if (info.sftpPort > 0) {
    lines.push(`  sftp -P ${info.sftpPort} ${info.username}@127.0.0.1`);
    lines.push(`  scp -P ${info.sftpPort} FILE ${info.username}@127.0.0.1:/`);
  }
  if (info.ftpPort > 0) {
    lines.push(`  lftp -p ${info.ftpPort} -u ${info.username} 127.0.0.1`);
    lines.push(`  curl -u ${info.username} ftp://127.0.0.1:${info.ftpPort}/`);
  }
  if (info.webdavPort > 0) {
    lines.push(`  WebDAV URL: ${info.webdavHttps ? 'https' : 'http'}://127.0.0.1:${info.webdavPort}/`);
  }
  return lines.join('\n');
}
