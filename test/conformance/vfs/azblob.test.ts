/** The Fs conformance suite on the Azure Blob backend, against azurite on 127.0.0.1. */
import { after } from 'node:test';
import { createAzBlobFs } from '../../../src/vfs/azblob/index.js';
import { startAzurite } from '../../helpers/azurite.js';
import { runFsConformance } from './suite.js';

const emu = await startAzurite();
after(() => emu.stop());
let n = 0;

runFsConformance('azblob', async () => {
  const fs = await createAzBlobFs({ root: '/unused', config: emu.config(`case${++n}/`) });
  return { fs, cleanup: async () => undefined };
}, { unavailable: emu.unavailable });
