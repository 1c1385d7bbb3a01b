/**
 * Imported first by the CLI entry, before anything slow loads. Node starts its inspector (a
 * debugger on 127.0.0.1:9229 that runs any code sent to it) when the process receives SIGUSR1,
 * unless a JavaScript listener for SIGUSR1 exists. This no-op listener closes that door for every
 * command from the first moment; `serve` adds the real SIGUSR1 action (log rotation, signals.ts).
 */
process.on('SIGUSR1', () => undefined);

export {};
