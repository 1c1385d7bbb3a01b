/**
 * Protocol details through a raw control connection: greeting from banner_file, login rules, FEAT,
 * MLST facts, SIZE/MDTM (with fractions)/MFMT, HASH family, COMB, SITE, AVBL/ALLO, STAT, REST,
 * ASCII type, ABOR, admin close (421), the connection as the API lists it, and replies that name
 * virtual paths only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFtp, type FtpFixture } from './fixture.js';
import { RawFtp, type FtpReply } from './raw-client.js';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('FTP commands (raw control connection)', () => {
  let f: FtpFixture;
  let ftp: RawFtp;
  let bannerDir: string;
  const seen: FtpReply[] = [];
  const cmd = async (line: string) => {
    const r = await ftp.cmd(line);
    seen.push(r);
    return r;
  };
  const file = (p: string) => path.join(f.home, p);

  before(async () => {
    bannerDir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-ftp-banner-'));
    await writeFile(path.join(bannerDir, 'banner.txt'), 'Welcome to the test server\nSecond line\n');
    f = await startFtp({
      config: { ftpd: { hash_support: 1, combine_support: 1, enable_site: true, banner_file: path.join(bannerDir, 'banner.txt') } },
      user: { quota_size: 10_000_000 },
    });
    await mkdir(f.home, { recursive: true });
    await writeFile(file('hello.txt'), 'hello world\n');
    const c = await RawFtp.connect(f.port);
    ftp = c.ftp;
    seen.push(c.greeting);
  });

  after(async () => {
    ftp?.close();
    await f?.close();
    await rm(bannerDir, { recursive: true, force: true });
  });

  test('greeting comes from banner_file; commands before login get 530, unknown ones 500', async () => {
    assert.deepEqual(seen[0]!.lines, ['220-Welcome to the test server', '220 Second line']);
    assert.equal((await cmd('PWD')).code, 530);
    assert.equal((await cmd('BOGUS x')).code, 500);
    assert.equal((await cmd('USER alice')).code, 331);
    assert.equal((await cmd('PASS wrong')).code, 530);
    assert.equal((await cmd('PASS again')).code, 503);
    assert.equal((await ftp.login('alice', f.password)).code, 230);
    assert.equal((await cmd('USER alice')).code, 503);
  });

  test('FEAT advertises what is implemented', async () => {
    const feat = (await cmd('FEAT')).lines;
    for (const want of [' EPSV', ' EPRT', ' MDTM', ' MFMT', ' SIZE', ' UTF8', ' REST STREAM', ' MLST type*;size*;modify*;perm*;unix.mode*;',
      ' HASH SHA-256*;SHA-512;SHA-1;MD5;CRC32', ' COMB', ' AVBL', ' CLNT']) {
      assert.ok(feat.includes(want), `FEAT lacks "${want}":\n${feat.join('\n')}`);
    }
    assert.ok(!feat.includes(' AUTH TLS'), 'no certificate, no AUTH TLS');
    assert.equal(feat[0], '211-Features:');
    assert.equal(feat[feat.length - 1], '211 End');
  });

  test('directories: MKD quotes, CWD/CDUP/PWD, RMD', async () => {
    assert.deepEqual((await cmd('MKD we "quote"')).lines, ['257 "/we ""quote""" directory created']);
    assert.equal((await cmd('CWD we "quote"')).code, 250);
    assert.equal((await cmd('PWD')).text, '"/we ""quote""" is the current directory');
    assert.equal((await cmd('CDUP')).code, 250);
    assert.equal((await cmd('CWD hello.txt')).code, 550);
    assert.equal((await cmd('RMD we "quote"')).code, 250);
  });

  test('MLST gives facts; OPTS MLST selects them', async () => {
    const r = await cmd('MLST hello.txt');
    assert.equal(r.code, 250);
    assert.match(r.lines[1]!, /^ type=file;size=12;modify=\d{14};perm=adfrw;unix\.mode=0644; \/hello\.txt$/);
    assert.equal((await cmd('OPTS MLST type;size;')).text, 'MLST OPTS type;size;');
    assert.equal((await cmd('MLST /')).lines[1], ' type=dir; /');
    await cmd('OPTS MLST type;size;modify;perm;unix.mode;');
  });

  test('SIZE, MDTM (query and set, fractions kept) and MFMT', async () => {
    assert.equal((await cmd('SIZE hello.txt')).text, '12');
    assert.equal((await cmd('SIZE /')).code, 550);
    assert.equal((await cmd('MDTM 20200102030405.678 hello.txt')).code, 213);
    assert.equal((await stat(file('hello.txt'))).mtime.toISOString(), '2020-01-02T03:04:05.678Z');
    assert.equal((await cmd('MDTM hello.txt')).text, '20200102030405');
    assert.equal((await cmd('MFMT 20211231235959 hello.txt')).text, 'Modify=20211231235959; /hello.txt');
    assert.equal((await stat(file('hello.txt'))).mtime.toISOString(), '2021-12-31T23:59:59.000Z');
    assert.equal((await cmd('MFMT 20211399 hello.txt')).code, 501);
  });

  test('HASH family: HASH with OPTS HASH, XCRC, XMD5 with a range, MD5, XSHA256', async () => {
    const body = await readFile(file('hello.txt'));
    assert.equal((await cmd('HASH hello.txt')).text, `SHA-256 0-12 ${sha256(body)} /hello.txt`);
    assert.equal((await cmd('OPTS HASH MD5')).text, 'MD5');
    assert.equal((await cmd('HASH hello.txt')).text, `MD5 0-12 ${md5(body)} /hello.txt`);
    assert.equal((await cmd('OPTS HASH SHA-3')).code, 501);
    assert.equal((await cmd('XMD5 hello.txt 0 5')).text, md5('hello'));
    assert.equal((await cmd('XSHA256 hello.txt')).text, sha256(body));
    assert.equal((await cmd('MD5 hello.txt')).text, `/hello.txt ${md5(body).toUpperCase()}`);
    assert.match((await cmd('XCRC hello.txt')).text, /^[0-9a-f]{8}$/);
    assert.equal((await cmd('HASH /')).code, 550);
  });

  test('COMB joins parts in order and removes them', async () => {
    await writeFile(file('p1'), 'first-');
    await writeFile(file('p 2'), 'second');
    assert.equal((await cmd('COMB joined.txt p1 "p 2"')).code, 250);
    assert.equal(await readFile(file('joined.txt'), 'utf8'), 'first-second');
    await assert.rejects(stat(file('p1')));
    assert.equal((await cmd('COMB only-target')).code, 501);
  });

  test('SITE CHMOD, SYMLINK, MKDIR (with parents) and RMDIR; CHOWN is not supported', async () => {
    assert.equal((await cmd('SITE CHMOD 600 hello.txt')).code, 200);
    assert.equal((await stat(file('hello.txt'))).mode & 0o777, 0o600);
    assert.equal((await cmd('SITE SYMLINK hello.txt link.txt')).code, 200);
    assert.ok((await lstat(file('link.txt'))).isSymbolicLink());
    assert.equal(await readlink(file('link.txt')), file('hello.txt'));
    assert.equal((await cmd('SITE MKDIR deep/er/dir')).code, 200);
    assert.ok((await stat(file('deep/er/dir'))).isDirectory());
    assert.equal((await cmd('SITE RMDIR deep/er/dir')).code, 200);
    assert.equal((await cmd('SITE CHOWN 1:1 hello.txt')).code, 504);
    assert.equal((await cmd('SITE CHMOD 999 hello.txt')).code, 501);
    await cmd('SITE CHMOD 644 hello.txt');
  });

  test('AVBL reports the remaining quota; ALLO checks it', async () => {
    const avail = Number((await cmd('AVBL')).text);
    assert.ok(avail > 9_000_000 && avail <= 10_000_000, `AVBL ${avail}`);
    assert.equal((await cmd('ALLO 1000')).code, 200);
    assert.equal((await cmd('ALLO 20000000')).code, 552);
  });

  test('STAT: server status, and a directory listing over the control connection', async () => {
    const st = await cmd('STAT');
    assert.equal(st.code, 211);
    assert.ok(st.lines.some((l) => l.includes('Logged in as alice')));
    assert.ok(st.lines[0]!.includes('SFTPGo 2.1.2-test FTP Server'));
    const dir = await cmd('STAT /');
    assert.equal(dir.code, 212);
    assert.ok(dir.lines.some((l) => / hello\.txt$/.test(l)), dir.lines.join('\n'));
  });

  test('REST then RETR sends the rest of the file; TYPE A converts line endings both ways', async () => {
    assert.equal((await cmd('REST 6')).code, 350);
    let data = await ftp.pasv();
    let body = RawFtp.readAll(data);
    assert.equal((await cmd('RETR hello.txt')).code, 150);
    assert.equal((await body).toString(), 'world\n');
    assert.equal((await ftp.next()).code, 226);
    await writeFile(file('lines.txt'), 'a\nb\r\nc\n');
    assert.equal((await cmd('TYPE A')).code, 200);
    data = await ftp.pasv();
    body = RawFtp.readAll(data);
    await cmd('RETR lines.txt');
    assert.equal((await body).toString(), 'a\r\nb\r\nc\r\n');
    assert.equal((await ftp.next()).code, 226);
    data = await ftp.pasv();
    assert.equal((await cmd('STOR up.txt')).code, 150);
    data.end('x\r\ny\r\n\r');
    assert.equal((await ftp.next()).code, 226);
    assert.equal(await readFile(file('up.txt'), 'utf8'), 'x\ny\n\r');
    assert.equal((await cmd('TYPE I')).code, 200);
  });

  test('ABOR stops a running download: 426 for the transfer, then 226', async () => {
    await writeFile(file('big.bin'), Buffer.alloc(64 * 1024 * 1024));
    const data = await ftp.pasv();
    data.pause();
    assert.equal((await cmd('RETR big.bin')).code, 150);
    ftp.sock.write('\xff\xf4\xff\xf2ABOR\r\n', 'latin1');
    assert.equal((await ftp.next()).code, 426);
    assert.equal((await ftp.next()).code, 226);
    data.destroy();
    assert.equal((await cmd('NOOP')).code, 200);
  });

  test('the session is listed as an FTP connection with client version and last command', async () => {
    assert.equal((await cmd('CLNT TestClient/1.0')).code, 200);
    await cmd('NOOP');
    const [c] = f.ctx.core.connections.list();
    assert.equal(c!.protocol, 'FTP');
    assert.equal(c!.username, 'alice');
    assert.equal(c!.client_version, 'TestClient/1.0');
    assert.equal(c!.command, 'NOOP');
    assert.match(c!.connection_id, /^FTP_0_\d+$/);
  });

  test('replies never show the real home path', async () => {
    for (const line of ['CWD /missing', 'RETR /', 'DELE /', 'RMD /', 'RNFR /nope', 'SIZE /missing/x', 'MLST /missing', 'STOR /']) await cmd(line);
    for (const r of seen) {
      for (const l of r.lines) assert.ok(!l.includes(f.ctx.dir) && !l.includes(f.home), `real path leaked: ${l}`);
    }
  });

  test('an admin close ends the session with 421', async () => {
    const [c] = f.ctx.core.connections.list();
    const closed = ftp.next();
    assert.equal(await f.ctx.core.connections.close(c!.connection_id), true);
    assert.equal((await closed).code, 421);
  });
});

describe('FTP commands turned off by config', () => {
  test('SITE, HASH and COMB answer 502 with the config key', async () => {
    const f = await startFtp();
    const { ftp } = await RawFtp.connect(f.port);
    try {
      await ftp.login('alice', f.password);
      for (const line of ['SITE CHMOD 644 x', 'HASH x', 'XMD5 x', 'COMB a b']) {
        const r = await ftp.cmd(line);
        assert.equal(r.code, 502, line);
        assert.match(r.text, /^not supported: .*ftpd\./);
      }
    } finally {
      ftp.close();
      await f.close();
    }
  });
});
