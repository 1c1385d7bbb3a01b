/**
 * CLI entry (`bin/sftpgo` imports the built file). Exit codes: 0 ok, 1 failure, 2 usage error;
 * errors go to stderr as one line. Commands report failure by throwing (exit 1) or by setting
 * `process.exitCode`.
 */
import './inspector-guard.js';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

/** Commander codes that are not errors: help and version output. */
const OK_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/** Runs the CLI with `argv` (node-style: argv[0] node, argv[1] script); resolves with the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return OK_CODES.has(err.code) ? 0 : 2;
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Error: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

runCli(process.argv).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.stderr.write(`Error: ${String(err)}\n`); process.exitCode = 1; },
);
