/**
 * `sftpgo service install|uninstall|start|stop|reload|rotatelogs|status` (INVENTORY §1): SFTPGo
 * builds these only for Windows, to drive the Windows service manager. This build never runs as a
 * Windows service, so each one refuses loudly (exit 1) and says what does the same job here,
 * instead of the generic "unknown command" a user of SFTPGo's docs would not understand.
 */
import type { Command } from 'commander';
import { notSupported } from '../../util/errors.js';

/** What to use instead of each subcommand outside Windows. */
const SUBCOMMANDS: Record<string, string> = {
  install: 'run `sftpgo serve` under your init system (e.g. a systemd unit)',
  uninstall: 'remove the unit from your init system',
  start: 'start it through your init system (e.g. systemctl start sftpgo)',
  stop: 'send SIGTERM (e.g. systemctl stop sftpgo)',
  reload: 'send SIGHUP to the serve process (e.g. systemctl reload sftpgo)',
  rotatelogs: 'send SIGUSR1 to the serve process (e.g. systemctl kill -s USR1 sftpgo)',
  status: 'ask your init system (e.g. systemctl status sftpgo)',
};

/** Registers `service` and its subcommands, each refusing with the alternative. */
export function register(program: Command): void {
  const service = program.command('service').description('Manage the Windows service (not supported: SFTPGo provides it on Windows only)');
  for (const [name, instead] of Object.entries(SUBCOMMANDS)) {
    service
      .command(name)
      .description(`Windows service ${name} (not supported here)`)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(() => {
        throw notSupported(`service ${name}: the service command manages a Windows service, which this build cannot be; ${instead}`);
      });
  }
  // `sftpgo service` alone: the same refusal rather than a help page with exit 0.
  service.action(() => {
    throw notSupported('service: the service command manages a Windows service, which this build cannot be; run `sftpgo serve` under your init system');
  });
}
