import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatTimeVal, listTarget, parseEprtArg, parsePortArg, parseTimeVal, pasvAddress, quotedArgs, resolvePath, splitTimeAndPath,
} from '../../../../src/protocols/ftp/parse.js';
import { stripTelnet } from '../../../../src/protocols/ftp/control.js';

test('paths resolve against the working directory and stay inside the virtual root', () => {
  assert.equal(resolvePath('/a/b', 'c'), '/a/b/c');
  assert.equal(resolvePath('/a/b', '../../../etc'), '/etc');
  assert.equal(resolvePath('/a', '/x/./y/'), '/x/y');
  assert.equal(resolvePath('/a', ''), '/a');
});

test('PORT and EPRT arguments', () => {
  assert.deepEqual(parsePortArg('127,0,0,1,4,1'), { host: '127.0.0.1', port: 1025 });
  assert.throws(() => parsePortArg('127,0,0,1,4'), /invalid PORT/);
  assert.throws(() => parsePortArg('300,0,0,1,4,1'), /invalid PORT/);
  assert.deepEqual(parseEprtArg('|1|132.235.1.2|6275|'), { host: '132.235.1.2', port: 6275 });
  assert.deepEqual(parseEprtArg('|2|::1|5282|'), { host: '::1', port: 5282 });
  assert.throws(() => parseEprtArg('|1|::1|5282|'), /invalid EPRT/);
  assert.throws(() => parseEprtArg('|1|1.2.3.4|0|'), /invalid EPRT port/);
  assert.equal(pasvAddress('10.1.2.3', 1025), '(10,1,2,3,4,1)');
});

test('time values: UTC, fractions kept to the millisecond, invalid dates refused', () => {
  assert.equal(parseTimeVal('20200102030405')!.toISOString(), '2020-01-02T03:04:05.000Z');
  assert.equal(parseTimeVal('20200102030405.5')!.toISOString(), '2020-01-02T03:04:05.500Z');
  assert.equal(parseTimeVal('20200102030405.123456')!.toISOString(), '2020-01-02T03:04:05.123Z');
  assert.equal(parseTimeVal('20200230030405'), undefined);
  assert.equal(parseTimeVal('2020010203040'), undefined);
  assert.equal(formatTimeVal(new Date('2021-12-31T23:59:59.999Z')), '20211231235959');
  assert.deepEqual(splitTimeAndPath('20200102030405 a b.txt'), { time: new Date('2020-01-02T03:04:05Z'), path: 'a b.txt' });
  assert.equal(splitTimeAndPath('file with 20200102030405'), undefined);
});

test('LIST options and quoted arguments', () => {
  assert.deepEqual(listTarget('-la /dir'), { target: '-la /dir', stripped: '/dir' });
  assert.deepEqual(listTarget('-a'), { target: '-a', stripped: '' });
  assert.deepEqual(listTarget('dir'), { target: 'dir', stripped: undefined });
  assert.deepEqual(quotedArgs('final.log "6 6.log" 67.log'), ['final.log', '6 6.log', '67.log']);
  assert.deepEqual(quotedArgs('"a ""q"" b" c'), ['a "q" b', 'c']);
});

test('telnet sequences are removed; a lone IAC before a verb (DM taken out of band) is dropped', () => {
  const s = (b: number[]) => stripTelnet(Buffer.from(b)).toString('latin1');
  assert.equal(s([0xff, 0xf4, 0xff, 0xf2, 0x41, 0x42]), 'AB');
  assert.equal(s([0xff, 0xf4, 0xff, 0x41, 0x42]), 'AB');
  assert.equal(s([0xff, 0xfb, 0x01, 0x41]), 'A');
  assert.equal(s([0x41, 0xff, 0xff, 0x42]), 'A\xffB');
});
