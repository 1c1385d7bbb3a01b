/**
 * Process signals for `serve` (INVENTORY §1.5): SIGINT/SIGTERM stop the services in reverse order
 * (unlike v2.1.2, active transfers get a grace period), SIGHUP reloads what supports it, SIGUSR1
 * rotates the log file. Handlers are removed by the returned function so tests and embedders leave
 * nothing behind.
 *
 * Security: Node reserves SIGUSR1 to start its inspector (a debugger listening on 127.0.0.1:9229
 * that runs any code it is sent). Any local user able to signal the daemon could otherwise open
 * that door into a process holding every user's credentials and files. A JavaScript listener for
 * SIGUSR1 replaces Node's handler, so while ours is installed the inspector never starts.
 */
export interface SignalActions {
  shutdown(signal: NodeJS.Signals): Promise<void> | void;
  reload(): Promise<void> | void;
  rotateLogs(): Promise<void> | void;
}

export function installSignalHandlers(actions: SignalActions, proc: NodeJS.EventEmitter = process): () => void {
  let stopping = false;
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void actions.shutdown(signal);
  };
  const onHup = () => void actions.reload();
  const onUsr1 = () => void actions.rotateLogs();
  proc.on('SIGINT', onStop);
  proc.on('SIGTERM', onStop);
  proc.on('SIGHUP', onHup);
  proc.on('SIGUSR1', onUsr1);
  return () => {
    proc.off('SIGINT', onStop);
    proc.off('SIGTERM', onStop);
    proc.off('SIGHUP', onHup);
    proc.off('SIGUSR1', onUsr1);
  };
}
