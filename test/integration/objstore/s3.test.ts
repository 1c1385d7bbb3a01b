/** Core Connection scenarios for a user whose home is on S3 (s3rver on 127.0.0.1). */
import { after } from 'node:test';
import { startS3rver } from '../../helpers/s3rver.js';
import { objectStoreScenarios } from './scenarios.js';

const emu = await startS3rver();
after(() => emu.stop());

objectStoreScenarios({
  name: 's3',
  unavailable: emu.unavailable,
  filesystem: (keyPrefix, seal) => ({ provider: 1, s3config: { ...emu.config(keyPrefix), access_secret: seal('S3RVER') } }),
});
