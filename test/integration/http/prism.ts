/**
 * Runs Stoplight Prism in proxy mode in front of a server: requests go to prism without the
 * /api/v2 prefix (the spec's server URL), prism forwards them and reports spec violations of each
 * response in the `sl-violations` header, which we collect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const SPEC_PATH = process.env.SFTPGO_OPENAPI ?? join(process.cwd(), '..', 'shared', 'spec', 'openapi.yaml');

export interface Violation { location: string[]; severity: string; code?: string; message: string }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Prism {
  base: string;
  stop(): Promise<void>;
}

/** Prism can take minutes to start on a loaded machine (it compiles the whole spec). */
const START_TIMEOUT_MS = 240_000;

/** Starts prism proxying to `upstream` (which must include /api/v2); killed again if it cannot start. */
export async function startPrism(upstream: string): Promise<Prism> {
  const port = await freePort();
  const bin = join(process.cwd(), 'node_modules', '.bin', 'prism');
  const child: ChildProcess = spawn(bin, ['proxy', SPEC_PATH, upstream, '-h', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`prism did not start in ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
      const onData = (d: Buffer) => {
        if (!output.includes('Prism is listening')) output += d.toString();
        if (/Prism is listening/.test(output)) { clearTimeout(timer); resolve(); }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`prism exited ${code}:\n${output}`)); });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { base: `http://127.0.0.1:${port}`, stop };
}

/** Starts one prism per upstream; if any fails, the others are stopped before the error is thrown. */
export async function startPrisms(upstreams: string[]): Promise<Prism[]> {
  const results = await Promise.allSettled(upstreams.map((u) => startPrism(u)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<Prism>).value);
  await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  throw failed.reason;
}

/** Response-side violations of one prism-proxied response. */
export function responseViolations(res: Response): Violation[] {
  const header = res.headers.get('sl-violations');
  if (!header) return [];
  return (JSON.parse(header) as Violation[]).filter((v) => v.location[0] === 'response');
}
