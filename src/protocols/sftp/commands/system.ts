/**
 * System commands (INVENTORY §3.2): `git-receive-pack`, `git-upload-pack`, `git-upload-archive`
 * and `rsync` run as real processes on the user's local directory. The core checks the target and
 * gives its real path, which replaces the last argument. Other arguments may only be options
 * without paths, so a client cannot point the process elsewhere (e.g. `rsync --log-file=/x`).
 * Bytes from the client are capped at the remaining quota; the quota is re-scanned at the end.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SystemCommandTarget } from '../../../core/types.js';
import { commandErrorText } from '../status-map.js';
import { argPath, hasTrailingSlash } from './paths.js';
import { errorLine, type CommandHandler, type CommandRun } from './types.js';

/** Commands run as real processes on local storage. */
export const SYSTEM_COMMANDS = ['git-receive-pack', 'git-upload-pack', 'git-upload-archive', 'rsync'] as const;

/** Why the arguments are refused, or undefined. */
function badArgs(name: string, args: string[]): string | undefined {
  if (args.length === 0) return 'missing path';
  const opts = args.slice(0, -1);
  if (name !== 'rsync') return opts.length > 0 ? 'unexpected arguments' : undefined;
  if (opts[0] !== '--server') return 'only rsync in server mode is supported';
  const bad = opts.find((a) => a !== '.' && (!a.startsWith('-') || a.includes('/') || a.includes('..')));
  return bad === undefined ? undefined : `argument not allowed: ${bad}`;
}

async function workingDir(hostPath: string): Promise<string> {
  const st = await stat(hostPath).catch(() => undefined);
  return st?.isDirectory() ? hostPath : dirname(hostPath);
}

/** Runs git-* or rsync on the directory the core prepared. */
export const systemCommand: CommandHandler = async (run) => {
  const why = badArgs(run.name, run.args);
  if (why) {
    errorLine(run, `${run.name}: ${why}`);
    return 1;
  }
  const rawPath = run.args[run.args.length - 1]!;
  const path = argPath(rawPath);
  const conn = await run.connect('SSH');
  let target: SystemCommandTarget;
  try {
    target = await conn.systemCommandTarget(path);
  } catch (err) {
    errorLine(run, `${run.name}: ${path} ${commandErrorText(err)}`);
    return 1;
  }
  const opts = run.args.slice(0, -1);
  const args = run.name === 'rsync' ? [target.canSymlink ? '--safe-links' : '--munge-links', ...opts] : opts;
  // rsync gives a trailing "/" a meaning (the content, not the directory itself): keep it.
  const hostPath = hasTrailingSlash(rawPath) ? `${target.hostPath}/` : target.hostPath;
  const code = await runProcess(run, target, [...args, hostPath]);
  await target.finish(run.line, code === 0);
  return code;
};

/** Spawns the command with the channel as its stdio; resolves with its exit code. */
async function runProcess(run: CommandRun, target: SystemCommandTarget, args: string[]): Promise<number> {
  const asUser = process.getuid?.() === 0 && (target.uid > 0 || target.gid > 0);
  const child = spawn(run.name, args, {
    cwd: await workingDir(target.hostPath),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(asUser ? { uid: target.uid || undefined, gid: target.gid || undefined } : {}),
  });
  const { channel } = run;
  let received = 0;
  const onData = (b: Buffer) => {
    received += b.length;
    if (received > target.maxInputBytes) {
      errorLine(run, `${run.name}: denying write due to space limit`);
      child.kill('SIGKILL');
      return;
    }
    if (!child.stdin.write(b)) channel.pause();
  };
  child.stdin.on('drain', () => channel.resume());
  child.stdin.on('error', () => undefined);
  channel.on('data', onData);
  channel.once('end', () => child.stdin.end());
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  const code = await new Promise<number>((resolve) => {
    child.once('error', (err) => {
      errorLine(run, `${run.name}: ${err.message}`);
      resolve(1);
    });
    child.once('close', (c) => resolve(c ?? 1));
  });
  channel.off('data', onData);
  return code;
}
