import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CIPHERS } from 'node:tls';
import { GO_CIPHER_SUITE_NAMES, opensslCiphers, unknownCipherSuites } from '../../../src/util/tls-ciphers.js';

const tls13 = DEFAULT_CIPHERS.split(':').filter((n) => n.startsWith('TLS_')).join(':');

test('Go suite names map to OpenSSL names; TLS 1.3 defaults always stay on (Go cannot restrict them)', () => {
  assert.equal(opensslCiphers([]), undefined);
  assert.equal(opensslCiphers(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']), `${tls13}:ECDHE-RSA-AES128-GCM-SHA256`);
  assert.equal(opensslCiphers(['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384']),
    `${tls13}:ECDHE-ECDSA-AES256-GCM-SHA384`);
  assert.equal(GO_CIPHER_SUITE_NAMES.length, 17, "Go's tls.CipherSuites(): 14 TLS 1.0-1.2 + 3 TLS 1.3");
});

test('names outside Go\'s secure list (insecure, OpenSSL-style, typos) are unknown', () => {
  assert.deepEqual(unknownCipherSuites(['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA']),
    ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA']);
  assert.throws(() => opensslCiphers(['TLS_NOPE']), /TLS_NOPE/);
});
