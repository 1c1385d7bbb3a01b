/**
 * Logger factory: pino JSON lines (SFTPGo's fields: `level` label, local `time`
 * `2006-01-02T15:04:05.000`, `message`), human text through pino-pretty when logging to a TTY.
 * pino-pretty runs as an in-process stream, never a worker transport, because the product runs
 * bundled inside a single executable where transports cannot load their worker files.
 *
 * Connection loggers are `logger.child({ protocol, connection_id })` (every line of a connection
 * carries both); app-level components use `logger.child({ sender: '<component>' })`.
 */
import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { RotatingFileStream } from 'rotating-file-stream';
import { openLogFile, rotateNow } from './file.js';

export type { Logger } from 'pino';

/** Options of {@link createLogger}; the log flags of `serve` map 1:1. */
export interface LoggerOptions {
  /** debug level when true, else info. */
  verbose?: boolean;
  /** Explicit minimum level; wins over `verbose` (admin tools log warnings only). */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Log file; relative to `configDir`; empty or absent = stdout. */
  filePath?: string;
  configDir?: string;
  maxSizeMB?: number;
  maxBackups?: number;
  maxAgeDays?: number;
  compress?: boolean;
  /** Force human text (true) or JSON (false); default: human when the stream is a TTY. */
  pretty?: boolean;
  /** Where stdout logging goes (tests); default process.stdout. */
  destination?: DestinationStream & { isTTY?: boolean };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** SFTPGo's time format, local time: `2006-01-02T15:04:05.000`. */
export function formatLogTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:` +
    `${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The destination the options ask for. */
function destinationFor(opts: LoggerOptions): DestinationStream {
  if (opts.filePath) {
    const filePath = path.resolve(opts.configDir ?? '.', opts.filePath);
    return openLogFile({
      filePath,
      maxSizeMB: opts.maxSizeMB ?? 10,
      maxBackups: opts.maxBackups ?? 5,
      maxAgeDays: opts.maxAgeDays ?? 28,
      compress: opts.compress ?? false,
    });
  }
  const out = opts.destination ?? (process.stdout as DestinationStream & { isTTY?: boolean });
  const human = opts.pretty ?? out.isTTY === true;
  if (!human) return out;
  return pretty({
    destination: out as NodeJS.WritableStream, sync: true, colorize: out.isTTY === true,
    messageKey: 'message', translateTime: false, ignore: 'pid,hostname',
  });
}

/** Creates the root logger. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? (opts.verbose ? 'debug' : 'info'),
      messageKey: 'message',
      base: undefined,
      timestamp: () => `,"time":"${formatLogTime(new Date())}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destinationFor(opts),
  );
}

/**
 * Rotates the log file of `logger` now (SIGUSR1, INVENTORY §1.5). Resolves with the rotated
 * file's path, or undefined when the logger does not write to a log file (stdout/stderr).
 */
export async function rotateLogFile(logger: Logger): Promise<string | undefined> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return stream instanceof RotatingFileStream ? rotateNow(stream) : undefined;
}
