/**
 * Runs the CLI in a child process, as a user would run `sftpgo`: resolves with the exit code and
 * both outputs. It runs the compiled `build/cli/main.js` when that build is newer than every
 * source file (`make test` builds first; it starts several times faster), else the sources
 * through tsx, so a stale build is never what gets tested.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What a CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function entryArgs(): string[] {
  const built = path.join(repoRoot, 'build', 'cli', 'main.js');
  try {
    if (statSync(built).mtimeMs >= newestMtime(path.join(repoRoot, 'src'))) return [built];
  } catch {
    // no build: run the sources
  }
  return ['--import', 'tsx', 'src/cli/main.ts'];
}

/** The command line that starts the CLI (computed once per test process). */
export const cliEntry: readonly string[] = entryArgs();

/** Runs `sftpgo <args>` with `env` added to the environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliEntry, ...args], {
      cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
