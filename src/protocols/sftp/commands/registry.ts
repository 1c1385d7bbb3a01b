/** The SSH commands we serve (INVENTORY §3.2) and the `enabled_ssh_commands` setting. */

/** Every supported command; `*` in the config enables them all. */
export const SUPPORTED_SSH_COMMANDS: readonly string[] = [
  'md5sum', 'sha1sum', 'sha256sum', 'sha384sum', 'sha512sum', 'cd', 'pwd', 'scp', 'sftpgo-copy', 'sftpgo-remove',
  'git-receive-pack', 'git-upload-pack', 'git-upload-archive', 'rsync',
];

/** The enabled set: `*` expands to all; unknown names are reported and dropped (as SFTPGo warns). */
export function enabledCommands(configured: readonly string[], onUnknown: (name: string) => void): ReadonlySet<string> {
  const out = new Set<string>();
  for (const raw of configured) {
    const name = raw.trim();
    if (name === '*') SUPPORTED_SSH_COMMANDS.forEach((c) => out.add(c));
    else if (SUPPORTED_SSH_COMMANDS.includes(name)) out.add(name);
    else if (name) onUnknown(name);
  }
  return out;
}
