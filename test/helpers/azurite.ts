/**
 * An Azure Blob emulator (azurite, as a child process) on 127.0.0.1 with a free port, in-memory,
 * telemetry off (LIBS.md: else it calls out). Returns `unavailable` with the reason instead of
 * throwing, so suites can report a missing emulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running emulator (or why it is not running). */
export interface AzuriteEmulator {
  endpoint: string;
  container: string;
  unavailable?: string;
  /** An azblobconfig block for a fresh key prefix of the container. */
  config(keyPrefix: string, extra?: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

/** Waits for azurite's "listens on http://host:port" line. */
async function listening(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`azurite did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listens on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited with ${code}: ${out}`));
    });
  });
}

/** Starts azurite's blob service and creates one container. */
export async function startAzurite(container = 'sftpgo-test'): Promise<AzuriteEmulator> {
  const emu: AzuriteEmulator = {
    endpoint: '', container,
    config: (keyPrefix, extra = {}) => ({
      container, account_name: AZURITE_ACCOUNT, account_key: { status: 'Plain', payload: AZURITE_KEY },
      endpoint: emu.endpoint, use_emulator: true, key_prefix: keyPrefix, ...extra,
    }),
    stop: async () => undefined,
  };
  try {
    const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
    const child = spawn(process.execPath, [
      main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    emu.stop = async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    };
    emu.endpoint = await listening(child);
    const { ContainerClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const cred = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
    await new ContainerClient(`${emu.endpoint}/${AZURITE_ACCOUNT}/${container}`, cred).createIfNotExists();
  } catch (err) {
    await emu.stop().catch(() => undefined);
    emu.unavailable = `azurite could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
  return emu;
}
