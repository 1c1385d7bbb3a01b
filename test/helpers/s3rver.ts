/**
 * An S3 emulator (s3rver, in-process) on 127.0.0.1, port 0, storing under a temp dir. Returns
 * `unavailable` with the reason instead of throwing, so suites can report a missing emulator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A running emulator (or why it is not running). */
export interface S3Emulator {
  endpoint: string;
  bucket: string;
  unavailable?: string;
  /** An s3config block for a fresh key prefix of the bucket. */
  config(keyPrefix: string, extra?: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

// Imported by a variable name: s3rver ships no type declarations.
const S3RVER = 's3rver';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

/** Starts s3rver with one bucket. */
export async function startS3rver(bucket = 'sftpgo-test'): Promise<S3Emulator> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-s3rver-'));
  const base = {
    bucket,
    config: (keyPrefix: string, extra: Record<string, unknown> = {}) => ({
      bucket, region: 'us-east-1', endpoint: emu.endpoint, access_key: 'S3RVER',
      access_secret: { status: 'Plain', payload: 'S3RVER' }, key_prefix: keyPrefix, ...extra,
    }),
  };
  const emu: S3Emulator = { ...base, endpoint: '', stop: () => rm(dir, { recursive: true, force: true }) };
  try {
    const { default: S3rver } = (await import(S3RVER)) as unknown as { default: new (o: object) => S3rverInstance };
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    emu.endpoint = `http://127.0.0.1:${port}`;
    emu.stop = async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (err) {
    emu.unavailable = `s3rver could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
  return emu;
}
