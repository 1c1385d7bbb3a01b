/**
 * A storage registry whose local backend can hold chosen entries: listing a held directory or
 * opening a held file waits until the test releases it. Tests use it to keep a real quota scan
 * running (409 for a second one), to prove a response is streamed while its source is still
 * unread, and to keep a transfer in flight across a shutdown. No timers: the test decides.
 */
import { posix } from 'node:path';
import { createFsRegistry, type FsRegistry } from '../../src/vfs/registry.js';
import { createLocalFs } from '../../src/vfs/local/index.js';
import type { Fs, FileInfo, OpenReadOptions, ReadHandle } from '../../src/vfs/types.js';

interface Hold {
  released: Promise<void>;
  release(): void;
  reached: Promise<void>;
  arrive(): void;
}

function newHold(): Hold {
  const h = {} as Hold;
  h.released = new Promise<void>((r) => { h.release = r; });
  h.reached = new Promise<void>((r) => { h.arrive = r; });
  return h;
}

export class FsGate {
  private readonly holds = new Map<string, Hold>();

  /** From now on, listing or opening an entry with this base name waits for `release(name)`. */
  hold(name: string): void {
    if (!this.holds.has(name)) this.holds.set(name, newHold());
  }

  /** Lets every waiting and future operation on `name` through. */
  release(name: string): void {
    const h = this.holds.get(name);
    this.holds.delete(name);
    h?.arrive();
    h?.release();
  }

  /** Resolves once an operation reached the held entry. */
  async reached(name: string): Promise<void> {
    const h = this.holds.get(name);
    if (!h) throw new Error(`${name} is not held`);
    await h.reached;
  }

  releaseAll(): void {
    for (const name of [...this.holds.keys()]) this.release(name);
  }

  /** Waits when `path` is held. */
  async pass(path: string): Promise<void> {
    const h = this.holds.get(posix.basename(path));
    if (!h) return;
    h.arrive();
    await h.released;
  }

  /** `fs` with `list`, `openRead` and `openReadInfo` passing the gate first; everything else untouched. */
  wrap(fs: Fs): Fs {
    const list = async function* (this: FsGate, path: string, opts?: { signal?: AbortSignal }): AsyncIterable<FileInfo> {
      await this.pass(path);
      yield* fs.list(path, opts);
    }.bind(this);
    const openRead = async (path: string, opts?: OpenReadOptions): Promise<ReadHandle> => {
      await this.pass(path);
      return fs.openRead(path, opts);
    };
    // The core opens downloads through openReadInfo when the backend has it: gate it too.
    const openReadInfo = fs.openReadInfo && (async (path: string, opts?: OpenReadOptions) => {
      await this.pass(path);
      return fs.openReadInfo!(path, opts);
    });
    return new Proxy(fs, {
      get(target, prop, receiver) {
        if (prop === 'list') return list;
        if (prop === 'openRead') return openRead;
        if (prop === 'openReadInfo') return openReadInfo;
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

/** The built-in registry with its local backend behind `gate`. */
export function gatedFsRegistry(gate: FsGate): FsRegistry {
  const registry = createFsRegistry();
  registry.register('local', (opts) => gate.wrap(createLocalFs(opts)));
  return registry;
}
