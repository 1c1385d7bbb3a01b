/** The Fs conformance suite on the GCS backend, against the fake GCS JSON API on 127.0.0.1. */
import { after } from 'node:test';
import { createGcsFs } from '../../../src/vfs/gcs/index.js';
import { startFakeGcs } from '../../helpers/fake-gcs.js';
import { runFsConformance } from './suite.js';

const fake = await startFakeGcs();
after(() => fake.stop());
let n = 0;

runFsConformance('gcs', async () => {
  const config = { bucket: 'sftpgo-test', automatic_credentials: 1, key_prefix: `case${++n}/` };
  const fs = await createGcsFs({ root: '/unused', config }, { apiEndpoint: fake.url });
  return { fs, cleanup: async () => undefined };
});
