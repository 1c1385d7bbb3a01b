/** Core Connection scenarios for a user whose home is on Azure Blob (azurite on 127.0.0.1). */
import { after } from 'node:test';
import { AZURITE_KEY, startAzurite } from '../../helpers/azurite.js';
import { objectStoreScenarios } from './scenarios.js';

const emu = await startAzurite();
after(() => emu.stop());

objectStoreScenarios({
  name: 'azblob',
  unavailable: emu.unavailable,
  filesystem: (keyPrefix, seal) => ({ provider: 3, azblobconfig: { ...emu.config(keyPrefix), account_key: seal(AZURITE_KEY) } }),
});
