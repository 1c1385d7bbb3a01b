import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cipherList } from '../../../../src/protocols/webdav/tls.js';
import { isSftpGoError } from '../../../../src/util/errors.js';

test('Go cipher suite names map to OpenSSL names; TLS 1.3 defaults stay unless named', () => {
  assert.equal(cipherList([]), undefined);
  const list = cipherList(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'])!;
  assert.match(list, /ECDHE-RSA-AES128-GCM-SHA256/);
  assert.match(list, /TLS_AES_128_GCM_SHA256/);
  assert.equal(cipherList(['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']), 'TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES256-GCM-SHA384');
});

test('an unknown suite name stops start-up with its name', () => {
  assert.throws(() => cipherList(['TLS_NOPE']), (e: unknown) => isSftpGoError(e) && e.kind === 'InvalidInput' && /TLS_NOPE/.test(e.message));
});
