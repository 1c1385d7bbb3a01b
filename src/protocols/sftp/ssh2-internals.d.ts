/**
 * Types of the ssh2 1.17 internals the SSH endpoint reaches (not part of ssh2's public API; the
 * endpoint and algorithm tests fail loudly if a new ssh2 moves them). Imported statically so the
 * bundler puts them inside the single executable.
 */
declare module 'ssh2/lib/protocol/constants.js' {
  const constants: { SUPPORTED_KEX: string[]; SUPPORTED_CIPHER: string[]; SUPPORTED_MAC: string[] };
  export = constants;
}

declare module 'ssh2/lib/protocol/kex.js' {
  export const KexInit: new (algorithms: unknown) => unknown;
}

declare module 'ssh2/lib/server.js' {
  export const IncomingClient: new (...args: never[]) => unknown;
}
