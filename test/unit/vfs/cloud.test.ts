import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudError, concurrency, partSizeBytes, raceSignal, secretText } from '../../../src/vfs/shared/cloud.js';
import { openBackendSecrets, plainSecretOpener } from '../../../src/vfs/secrets.js';
import { ErrorKind } from '../../../src/util/errors.js';

test('cloud errors: HTTP statuses, aborts, deadlines and missing buckets map to kinds', () => {
  assert.equal(cloudError(new Error('x'), 404, 'head').kind, ErrorKind.NotFound);
  assert.equal(cloudError(new Error('x'), 403, 'head').kind, ErrorKind.PermissionDenied);
  assert.equal(cloudError(new Error('x'), 500, 'head').kind, ErrorKind.Failure);
  assert.equal(cloudError(new Error('x'), 503, 'head').kind, ErrorKind.Unavailable);
  const ac = new AbortController();
  ac.abort(new Error('client gone'));
  assert.equal(cloudError(new Error('socket hang up'), undefined, 'list', ac.signal).kind, ErrorKind.Aborted, 'the caller abort wins');
  const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
  assert.match(cloudError(timeout, undefined, 'list').message, /did not answer in time/);
  const bucket = Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
  const e = cloudError(bucket, 404, 'list');
  assert.equal(e.kind, ErrorKind.Failure);
  assert.match(e.message, /bucket or container does not exist/);
  assert.equal(cloudError(Object.assign(new Error('nope'), { code: 'ContainerNotFound' }), 404, 'list').kind, ErrorKind.Failure);
});

test('cloud secrets: plain strings and Plain secrets pass, encrypted ones are reported', () => {
  assert.equal(secretText(undefined, 'f'), undefined);
  assert.equal(secretText('s3cret', 'f'), 's3cret');
  assert.equal(secretText({ status: 'Plain', payload: 'p' }, 'f'), 'p');
  assert.equal(secretText({}, 'f'), undefined);
  assert.throws(() => secretText({ status: 'Secretbox', payload: 'enc' }, 's3config.access_secret'), /s3config.access_secret: the secret is not decrypted/);
});

test('registry: secrets of a backend config are decrypted by the KMS before the factory sees them', () => {
  const decrypt = (s: { payload?: string }) => `plain(${s.payload})`;
  const out = openBackendSecrets({
    bucket: 'b', access_secret: { status: 'Secretbox', payload: 'x', key: 'k' }, plain: { status: 'Plain', payload: 'p' },
    empty: { status: 'Plain', payload: '' }, nested: ['keep'],
  }, decrypt) as Record<string, unknown>;
  assert.deepEqual(out, { bucket: 'b', access_secret: 'plain(x)', plain: 'p', nested: ['keep'] });
  const redacted = openBackendSecrets({ k: { status: 'Redacted' } }, decrypt) as Record<string, unknown>;
  assert.deepEqual(redacted.k, { status: 'Redacted' }, 'a redacted secret is never "decrypted"');
  assert.throws(() => openBackendSecrets({ k: { status: 'Secretbox', payload: 'x' } }, plainSecretOpener), /no KMS available/, 'no KMS: refused loudly');
});

test('cloud limits: part sizes in MB and concurrency follow SFTPGo', () => {
  assert.equal(partSizeBytes(0, 5, 5, 5000, 'f'), 5 * 1048576);
  assert.equal(partSizeBytes(8, 5, 5, 5000, 'f'), 8 * 1048576);
  assert.throws(() => partSizeBytes(1.5, 5, 1, 100, 'f'), /f: must be 0 or between 1 and 100/);
  assert.equal(concurrency(undefined, 'c'), 2);
  assert.throws(() => concurrency(-1, 'c'), /between 0 and 64/);
});

test('raceSignal: rejects as soon as the signal fires, leaves a late failure unhandled-safe', async () => {
  const ac = new AbortController();
  let fail!: (e: Error) => void;
  const slow = new Promise<never>((_, reject) => { fail = reject; });
  const raced = raceSignal(slow, ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(raced, /stop/);
  fail(new Error('late'));
  assert.equal(await raceSignal(Promise.resolve(7), new AbortController().signal), 7);
});
