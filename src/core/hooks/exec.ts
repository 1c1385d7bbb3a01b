/**
 * Runs a hook program (INVENTORY §5): absolute path, parent environment plus the hook's variables,
 * killed when its timeout expires. stdout is collected up to a bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { failure, invalidInput } from '../../util/errors.js';

export interface ProgramResult {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export interface ProgramOptions {
  args?: string[];
  env?: Record<string, string>;
  timeoutMs: number;
  /** Response bound (§5: 1 MB for auth hooks). */
  maxStdout?: number;
}

/** True when a hook value is a URL (starts with "http"), as SFTPGo decides. */
export function isHttpHook(hook: string): boolean {
  return hook.startsWith('http');
}

/** Runs the program to completion or timeout (SIGKILL). Never rejects for a non-zero exit. */
export function runProgram(path: string, opts: ProgramOptions): Promise<ProgramResult> {
  if (!isAbsolute(path)) return Promise.reject(invalidInput(`invalid hook "${path}": an absolute path is required`));
  const max = opts.maxStdout ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(path, opts.args ?? [], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: a timeout kills the hook's children too (they hold the pipes)
    });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) out.push(c);
      else killGroup(child);
    });
    child.stderr.on('data', (c: Buffer) => { if (stderr.length < 4096) stderr += c.toString(); });
    const timer = setTimeout(() => { timedOut = true; killGroup(child); }, opts.timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(failure(`unable to execute hook ${path}: ${err.message}`, err)); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (size > max) reject(failure(`hook ${path}: output exceeds ${max} bytes`));
      else resolve({ exitCode: code, stdout: Buffer.concat(out), stderr, timedOut });
    });
  });
}

/** Describes a failed program run for logs and errors. */
export function describeProgramFailure(path: string, r: ProgramResult, timeoutMs: number): string {
  if (r.timedOut) return `hook ${path} timed out after ${timeoutMs} ms`;
  return `hook ${path} exited with code ${String(r.exitCode)}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`;
}

/** SIGKILLs a detached child's whole process group (falls back to the child alone). */
export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
