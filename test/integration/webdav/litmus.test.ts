/**
 * The litmus WebDAV suite (Debian `litmus`) against our server: basic, copymove, props, locks and
 * http must all pass with zero failures. Run under a binding prefix, so prefix handling is part of
 * what the suite exercises. Assertions read litmus' own summary lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { run, startDav } from './harness.js';

const SUITES = ['basic', 'copymove', 'props', 'locks', 'http'];

test('litmus: basic, copymove, props, locks and http pass with zero failures', needsBinaries('litmus'), async () => {
  const h = await startDav({ prefix: '/dav', users: [{ username: 'litmus', password: 'l1tmus-pass' }] });
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-litmus-'));
  try {
    // litmus writes debug.log and child.log in its working directory.
    const r = await run('litmus', ['-k', h.url, 'litmus', 'l1tmus-pass'], { cwd, env: { ...process.env, TESTS: SUITES.join(' ') } });
    const out = r.stdout + r.stderr;
    for (const suite of SUITES) {
      const m = new RegExp(`summary for \`${suite}': of (\\d+) tests run: (\\d+) passed, (\\d+) failed`).exec(out);
      assert.ok(m, `no summary for suite ${suite}:\n${out}`);
      assert.equal(m[3], '0', `suite ${suite} failed:\n${out}`);
      assert.equal(m[1], m[2], `suite ${suite}: not every test passed:\n${out}`);
    }
    assert.doesNotMatch(out, /\bFAIL\b|SKIPPED/, out);
    assert.doesNotMatch(out, /WARNING/, `litmus warnings:\n${out}`);
    assert.equal(r.code, 0, out);
  } finally {
    await rm(cwd, { recursive: true, force: true });
    await h.close();
  }
});
