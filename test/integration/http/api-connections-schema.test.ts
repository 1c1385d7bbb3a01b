/**
 * GET /api/v2/connections against the spec's ConnectionStatus schema (strict: closed objects,
 * enums) while one connection of every protocol we serve is open, each held by real clients in
 * the middle of a download: OpenSSH sftp (SFTP), scp -O (SCP; plain scp speaks SFTP nowadays), ssh md5sum (SSH), curl over FTP (FTP),
 * curl over WebDAV (DAV) and the REST user API (HTTP). The only schema deviation allowed is the
 * `HTTP` protocol label, which the v2.1.2 enum lacks but SFTPGo v2.1.2 reports (models.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { startProtocol, type StartedProtocol } from '../../helpers/protocols.js';
import { startHarness } from './harness.js';
import { loadSpec, StrictResponses } from './spec.js';

const CONFIG = {
  sftpd: { bindings: [{ address: '127.0.0.1', port: 2022 }] },
  ftpd: { bindings: [{ address: '127.0.0.1', port: 2121 }], passive_port_range: { start: 0, end: 0 } },
  webdavd: { bindings: [{ address: '127.0.0.1', port: 8090 }] },
};
const SSH_OPTS = ['-o', 'BatchMode=no', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'LogLevel=ERROR'];
const PROTOCOLS = ['SFTP', 'SCP', 'SSH', 'FTP', 'DAV', 'HTTP'] as const;

/** Starts a client; resolves with its exit code and output when it ends. */
function client(cmd: string, args: string[], input = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, SSHPASS: 'secret' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

test('every protocol we serve lists as a ConnectionStatus valid against the spec', { ...needsBinaries('sshpass', 'sftp', 'scp', 'ssh', 'curl'), timeout: 120_000 }, async () => {
  const h = await startHarness(CONFIG);
  const started: StartedProtocol[] = [];
  const out = await mkdtemp(join(tmpdir(), 'sftpgo-conns-'));
  try {
    const sftp = await startProtocol('SFTP', h.app);
    const ftp = await startProtocol('FTP', h.app);
    const dav = await startProtocol('WebDAV', h.app);
    started.push(sftp, ftp, dav);
    const user = await h.addUser({ username: 'conns', password: 'secret' });
    await mkdir(user.home_dir, { recursive: true });
    const names = Object.fromEntries(PROTOCOLS.map((p) => [p, `held-${p.toLowerCase()}.bin`])) as Record<(typeof PROTOCOLS)[number], string>;
    for (const n of Object.values(names)) {
      await writeFile(join(user.home_dir, n), randomBytes(1024));
      h.gate.hold(n);
    }
    const token = await h.userToken('conns', 'secret');
    const ssh = ['-p', String(sftp.port), ...SSH_OPTS];
    const clients = [
      client('sshpass', ['-e', 'sftp', '-P', String(sftp.port), ...SSH_OPTS, '-b', '-', 'conns@127.0.0.1'], `get ${names.SFTP} ${join(out, 'a')}\nbye\n`),
      client('sshpass', ['-e', 'scp', '-O', '-P', String(sftp.port), ...SSH_OPTS, `conns@127.0.0.1:${names.SCP}`, join(out, 'b')]),
      client('sshpass', ['-e', 'ssh', ...ssh, 'conns@127.0.0.1', `md5sum ${names.SSH}`]),
      client('curl', ['-sS', '-o', join(out, 'c'), `ftp://conns:secret@127.0.0.1:${ftp.port}/${names.FTP}`]),
      client('curl', ['-sS', '-o', join(out, 'd'), '-u', 'conns:secret', `http://127.0.0.1:${dav.port}/${names.DAV}`]),
      fetch(`${h.base}/api/v2/user/file?path=${names.HTTP}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ code: r.status, out: String((await r.arrayBuffer()).byteLength) })),
    ];
    for (const n of Object.values(names)) await h.gate.reached(n);

    const admin = await h.adminToken();
    const res = await fetch(`${h.base}/api/v2/connections`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { protocol: string; username: string }[];
    assert.deepEqual([...new Set(body.filter((c) => c.username === 'conns').map((c) => c.protocol))].sort(), [...PROTOCOLS].sort());

    const problems = new StrictResponses(loadSpec()).check('get_connections', 200, body);
    const httpIndexes = body.flatMap((c, i) => (c.protocol === 'HTTP' ? [i] : []));
    const allowed = (p: string) => httpIndexes.some((i) => p.startsWith(`/${i}/protocol must be equal to one of the allowed values`));
    assert.deepEqual(problems.filter((p) => !allowed(p)), [], 'only the documented HTTP label is outside the spec');
    assert.equal(problems.length, httpIndexes.length, 'the spec check does see the HTTP label (the check is live)');

    for (const n of Object.values(names)) h.gate.release(n);
    const results = await Promise.all(clients);
    assert.deepEqual(results.map((r) => r.code), [0, 0, 0, 0, 0, 200], JSON.stringify(results));
  } finally {
    h.gate.releaseAll();
    for (const p of started) await p.stop();
    await h.close();
    await rm(out, { recursive: true, force: true });
  }
});
