/**
 * The PostgreSQL provider (pg) runs the DataProvider conformance suite against a real server, each test under
 * its own random table prefix (dropped afterwards). Skipped with the reason when the server is not
 * reachable; a failure under SFTPGO_TEST_REQUIRE_ALL=1.
 */
import { describe } from 'node:test';
import { serverAvailability, serverProviderUnderTest } from '../../helpers/sqlserver.js';
import { runProviderConformance } from './suite.js';

const available = await serverAvailability();

describe('postgresql conformance', { ...available.postgresql, concurrency: 4 }, () => {
  runProviderConformance('postgresql', serverProviderUnderTest('postgresql'));
});
