/** Core Connection scenarios for a user whose home is on GCS (the fake GCS JSON API on 127.0.0.1). */
import { after } from 'node:test';
import { createGcsFs } from '../../../src/vfs/gcs/index.js';
import { startFakeGcs } from '../../helpers/fake-gcs.js';
import { objectStoreScenarios } from './scenarios.js';

const fake = await startFakeGcs();
after(() => fake.stop());

objectStoreScenarios({
  name: 'gcs',
  // Service-account credentials as stored (sealed by the KMS); the fake endpoint takes no auth.
  filesystem: (keyPrefix, seal) => ({
    provider: 2,
    gcsconfig: { bucket: 'sftpgo-test', key_prefix: keyPrefix, credentials: seal(JSON.stringify({ type: 'service_account', client_email: 'test@example.invalid', private_key: 'unused', project_id: 'test' })) },
  }),
  register: (reg) => reg.register('gcs', (o) => createGcsFs(o, { apiEndpoint: fake.url })),
});
