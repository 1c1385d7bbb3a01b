/**
 * A WebDAV server in its own process, so a test can measure that process alone (RSS). Prints
 * `{"url":..., "home":...}` on stdout once listening; stops when stdin closes.
 * Usage: node --import tsx test/integration/webdav/child-server.ts <user> <password>
 */
import path from 'node:path';
import { startDav } from './harness.js';

async function main(): Promise<void> {
  const [username = 'alice', password = 'secret'] = process.argv.slice(2);
  const h = await startDav({ users: [{ username, password }] });
  process.stdout.write(`${JSON.stringify({ url: h.url, home: path.join(h.ctx.dir, 'users', username) })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void h.close().then(() => process.exit(0));
  });
}

void main();
