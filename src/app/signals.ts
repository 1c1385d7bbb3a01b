/**
 * Process signals for `serve` (INVENTORY §1.5): SIGINT/SIGTERM stop the services in reverse order
 * (unlike v2.1.2, active transfers get a grace period), SIGHUP reloads what supports it.
 * Handlers are removed by the returned function so tests and embedders leave nothing behind.
 */
export interface SignalActions {
  shutdown(signal: NodeJS.Signals): Promise<void> | void;
  reload(): Promise<void> | void;
}

export function installSignalHandlers(actions: SignalActions, proc: NodeJS.EventEmitter = process): () => void {
  let stopping = false;
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void actions.shutdown(signal);
  };
  const onHup = () => void actions.reload();
  proc.on('SIGINT', onStop);
  proc.on('SIGTERM', onStop);
  proc.on('SIGHUP', onHup);
  return () => {
    proc.off('SIGINT', onStop);
    proc.off('SIGTERM', onStop);
    proc.off('SIGHUP', onHup);
  };
}
