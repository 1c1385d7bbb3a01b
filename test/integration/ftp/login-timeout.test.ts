/**
 * Unauthenticated FTP clients (INVENTORY §3.4, §4.11): a control connection that does not log in
 * is closed after SFTPGo's 2 minutes without a command (here shortened through the server's
 * construction option), answered 421, and counted as no_auth_tryed (defender score_invalid).
 * Commands before the login restart the wait; a logged-in session is never closed by it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFtp } from './fixture.js';
import { RawFtp } from './raw-client.js';

const UNAUTH_MS = 400;

function closed(ftp: RawFtp): Promise<void> {
  return new Promise((resolve) => {
    if (ftp.sock.destroyed || ftp.sock.readableEnded) return resolve();
    ftp.sock.once('close', () => resolve());
  });
}

test('a client that never logs in is closed with 421 and scored as no_auth_tryed', async () => {
  const f = await startFtp({ config: { common: { defender: { enabled: true } } }, server: { unauthIdleMs: UNAUTH_MS } });
  try {
    const { ftp, greeting } = await RawFtp.connect(f.port);
    assert.equal(greeting.code, 220);
    const gone = closed(ftp);
    const bye = await ftp.next();
    assert.equal(bye.code, 421);
    assert.match(bye.text, /login timeout/);
    await gone;
    assert.equal(f.ctx.core.defender.score('127.0.0.1'), 2, 'score_invalid for no auth tried');
  } finally {
    await f.close();
  }
});

test('commands before the login restart the wait; USER without PASS still times out', async () => {
  const f = await startFtp({ server: { unauthIdleMs: UNAUTH_MS } });
  try {
    const { ftp } = await RawFtp.connect(f.port);
    let gone = false;
    const onClose = closed(ftp).then(() => { gone = true; });
    for (let i = 0; i < 4; i++) {
      await sleep(UNAUTH_MS / 2);
      assert.equal((await ftp.cmd('NOOP')).code, 200);
    }
    assert.equal(gone, false, 'still open after twice the timeout thanks to the commands');
    assert.equal((await ftp.cmd('USER alice')).code, 331);
    assert.equal((await ftp.next()).code, 421);
    await onClose;
  } finally {
    await f.close();
  }
});

test('a logged-in session is not closed by the login timeout', async () => {
  const f = await startFtp({ server: { unauthIdleMs: UNAUTH_MS } });
  try {
    const { ftp } = await RawFtp.connect(f.port);
    assert.equal((await ftp.login('alice', f.password)).code, 230);
    await sleep(UNAUTH_MS * 3);
    assert.equal(ftp.sock.destroyed, false);
    assert.equal((await ftp.cmd('PWD')).code, 257);
    await ftp.cmd('QUIT');
  } finally {
    await f.close();
  }
});
