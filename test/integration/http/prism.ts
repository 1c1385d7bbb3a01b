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

/** Starts prism proxying to `upstream` (which must include /api/v2). */
export async function startPrism(upstream: string): Promise<Prism> {
  const port = await freePort();
  const bin = join(process.cwd(), 'node_modules', '.bin', 'prism');
  const child: ChildProcess = spawn(bin, ['proxy', SPEC_PATH, upstream, '-h', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/Prism is listening/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`prism exited ${code}:\n${output}`)); });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Response-side violations of one prism-proxied response. */
export function responseViolations(res: Response): Violation[] {
  const header = res.headers.get('sl-violations');
  if (!header) return [];
  return (JSON.parse(header) as Violation[]).filter((v) => v.location[0] === 'response');
}
