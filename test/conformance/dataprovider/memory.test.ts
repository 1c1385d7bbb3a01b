/** The memory provider runs the DataProvider conformance suite. */
import { MemoryProvider } from '../../../src/dataprovider/memory/index.js';
import { runProviderConformance } from './suite.js';

runProviderConformance('memory', async () => {
  const provider = new MemoryProvider();
  await provider.initialize();
  return { provider, cleanup: () => provider.close() };
});
