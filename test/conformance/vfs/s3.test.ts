/** The Fs conformance suite on the S3 backend, against s3rver on 127.0.0.1. */
import { after } from 'node:test';
import { createS3Fs } from '../../../src/vfs/s3/index.js';
import { startS3rver } from '../../helpers/s3rver.js';
import { runFsConformance } from './suite.js';

const emu = await startS3rver();
after(() => emu.stop());
let n = 0;

runFsConformance('s3', async () => {
  const fs = await createS3Fs({ root: '/unused', config: emu.config(`case${++n}/`) });
  return { fs, cleanup: async () => undefined };
}, { unavailable: emu.unavailable });
