/** The text of `sftpgo.example.json`: every key of the schema with its default, 2-space JSON. */
import { configSchema, schemaDefaults } from './schema.js';

/** JSON text of the example config, newline-terminated. */
export function exampleConfigText(): string {
  return JSON.stringify(schemaDefaults(configSchema()), null, 2) + '\n';
}
