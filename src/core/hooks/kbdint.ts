/**
 * keyboard_interactive_auth_hook (INVENTORY §5). The hook drives a question/answer loop:
 * a program writes one JSON object per line and reads the answers one per line on stdin;
 * an HTTP hook is POSTed repeatedly with the same request_id. `auth_result` 1 = success,
 * any other non-zero value = failure, 0 = ask the next questions.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { authFailed, failure } from '../../util/errors.js';
import type { KeyboardInteractiveIO } from '../types.js';
import { isHttpHook, killGroup } from './exec.js';
import { expectStatus, postJson, type HookDeps } from './runner.js';

interface KbdStep {
  instruction?: string;
  questions?: string[];
  echos?: boolean[];
  check_password?: number;
  auth_result?: number;
}

export interface KbdIntInput {
  username: string;
  ip: string;
  /** Stored password hash (sent to the hook as SFTPGo does). */
  passwordHash: string;
  io: KeyboardInteractiveIO;
  /** Verifies an answer as the user's password (check_password = 1). */
  verifyPassword(plain: string): Promise<boolean>;
}

/** Asks the questions of one step; with check_password the single answer is verified and replaced by "OK". */
async function answerStep(step: KbdStep, inp: KbdIntInput): Promise<string[]> {
  const questions = step.questions ?? [];
  const echos = step.echos ?? [];
  const answers = await inp.io.prompt(step.instruction ?? '', questions.map((q, i) => ({ prompt: q, echo: echos[i] ?? false })));
  if (step.check_password === 1 && questions.length === 1) {
    if (!(await inp.verifyPassword(answers[0] ?? ''))) throw authFailed('invalid credentials');
    return ['OK'];
  }
  return answers;
}

/** Runs the whole exchange; resolves on auth_result 1, throws AuthFailed otherwise. */
export async function runKeyboardInteractiveHook(deps: HookDeps, hook: string, inp: KbdIntInput): Promise<void> {
  const timeoutMs = deps.timeouts.keyboardInteractive;
  const run = isHttpHook(hook) ? httpLoop(deps, hook, inp, timeoutMs) : programLoop(hook, inp, timeoutMs);
  const ok = await run;
  if (!ok) throw authFailed('keyboard interactive authentication failed');
}

async function httpLoop(deps: HookDeps, hook: string, inp: KbdIntInput, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  let extra: { answers?: string[]; questions?: string[] } = {};
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw failure('keyboard interactive hook timed out');
    const body = { request_id: requestId, username: inp.username, ip: inp.ip, password: inp.passwordHash, ...extra };
    const res = await postJson(deps, hook, body, left, false);
    expectStatus(res, hook);
    const step = JSON.parse(res.body.toString('utf8')) as KbdStep;
    if (step.auth_result === 1) return true;
    if (step.auth_result !== undefined && step.auth_result !== 0) return false;
    if (!step.questions?.length) throw failure('keyboard interactive hook: no questions and no result');
    extra = { answers: await answerStep(step, inp), questions: step.questions };
  }
}

function programLoop(hook: string, inp: KbdIntInput, timeoutMs: number): Promise<boolean> {
  const child = spawn(hook, [], {
    env: { ...process.env, SFTPGO_AUTHD_USERNAME: inp.username, SFTPGO_AUTHD_IP: inp.ip, SFTPGO_AUTHD_PASSWORD: inp.passwordHash },
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
  });
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  const lines = createInterface({ input: child.stdout });
  const done = async (): Promise<boolean> => {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const step = JSON.parse(line) as KbdStep;
      if (step.auth_result === 1) return true;
      if (step.auth_result !== undefined && step.auth_result !== 0) return false;
      const answers = await answerStep(step, inp);
      child.stdin.write(answers.map((a) => `${a}\n`).join(''));
    }
    return false; // program ended without a result
  };
  const spawnError = new Promise<never>((_, reject) => child.on('error', (e) => reject(failure(`unable to execute hook ${hook}`, e))));
  return Promise.race([done(), spawnError]).finally(() => {
    clearTimeout(timer);
    lines.close();
    child.stdin.destroy();
    if (child.exitCode === null) killGroup(child);
  });
}
