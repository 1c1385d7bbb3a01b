import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SchemaValidator } from '../../../../src/protocols/http/validate.js';

test('schemas.generated.ts matches the spec (fails when stale)', () => {
  execFileSync(process.execPath, ['scripts/gen-http-schemas.mjs', '--check'], { stdio: 'pipe' });
});

test('validator names every bad field', () => {
  const v = new SchemaValidator();
  assert.doesNotThrow(() => v.check('User', { username: 'a', status: 1, permissions: { '/': ['*'] } }));
  assert.throws(() => v.check('User', { username: 1, status: 2, filters: { denied_protocols: ['XYZ'] } }),
    (err: Error & { problems: { field: string }[] }) => {
      const fields = err.problems.map((p) => p.field).sort();
      assert.deepEqual(fields, ['filters.denied_protocols.0', 'status', 'username']);
      return true;
    });
  assert.throws(() => v.check('Admin', { email: 'not-an-email' }), /email/);
  assert.throws(() => v.check('BackupData', { users: {} }), /users/);
});
