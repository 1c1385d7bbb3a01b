/**
 * `sftpgo serve` as a real process with real signals: serve starts SFTP, HTTP and telemetry, prints
 * where each listens (in configured order), and exits 0 on SIGINT and on SIGTERM sent as soon as
 * the addresses are printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function configDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-proc-'));
  await writeFile(join(dir, 'sftpgo.json'), JSON.stringify({
    sftpd: { bindings: [{ address: '127.0.0.1', port: await freePort() }] },
    httpd: { bindings: [{ address: '127.0.0.1', port: await freePort(), enable_web_admin: false, enable_web_client: false }] },
    telemetry: { bind_address: '127.0.0.1', bind_port: await freePort() },
    data_provider: { create_default_admin: true },
  }));
  return dir;
}

/** Starts `serve`; `onLine` sees stdout lines; resolves with the exit code. */
function serve(dir: string, onLine: (line: string, kill: (s: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '-c', dir, '--log-file-path', join(dir, 'sftpgo.log')], {
      cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line) onLine(line, (s) => child.kill(s));
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`sftpgo serve: starts every listener, prints where each listens, exits 0 on ${signal}`, { timeout: 120_000 }, async () => {
    const dir = await configDir();
    try {
      const seen: string[] = [];
      const r = await serve(dir, (line, kill) => {
        if (/^(SFTP|HTTP|telemetry): /.test(line)) seen.push(line.split(':')[0]!);
        if (seen.length === 3) kill(signal);
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(seen, ['SFTP', 'HTTP', 'telemetry']);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
}
