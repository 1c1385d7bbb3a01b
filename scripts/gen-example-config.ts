/**
 * Writes `sftpgo.example.json` (every key with its code default) from the config schema.
 * `--check` exits 1 when the committed file differs (a test runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exampleConfigText } from '../src/config/example.js';

const target = path.resolve(process.argv.find((a) => a.endsWith('.json')) ?? 'sftpgo.example.json');
const text = exampleConfigText();
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    process.stderr.write(`${target} is stale: run npm run gen:example-config\n`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
