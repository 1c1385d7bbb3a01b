/**
 * Dead properties (RFC 4918 §4) through the data provider's `DavPropStore`, keyed by user and
 * virtual path: stored in the provider, never beside the file, so they work on every backend and
 * no other protocol sees them. They follow the resource on COPY/MOVE and vanish on DELETE.
 */
import type { DavPropStore } from '../../dataprovider/types.js';
import { notSupported } from '../../util/errors.js';
import { clark, serialize, type XmlElement } from './xml.js';

/** One PROPPATCH instruction, in document order (RFC 4918 §9.2). */
export interface PropOp {
  op: 'set' | 'remove';
  prop: XmlElement;
}

/** `{ns}local` back to its parts. */
export function parseClark(key: string): { ns: string; local: string } {
  const end = key.indexOf('}');
  return { ns: key.slice(1, end), local: key.slice(end + 1) };
}

/** Dead properties of one server, over the provider's store (absent store: PROPPATCH says not supported). */
export class DeadProps {
  constructor(private readonly store: DavPropStore | undefined) {}

  /** Serialized properties per path (clark name -> XML), for PROPFIND. */
  async forPaths(username: string, paths: readonly string[]): Promise<Map<string, Record<string, string>>> {
    if (!this.store || paths.length === 0) return new Map();
    return this.store.get(username, paths);
  }

  /** Applies a whole PROPPATCH at once: it either all happens or nothing does. */
  async apply(username: string, path: string, ops: readonly PropOp[]): Promise<void> {
    if (!this.store) throw notSupported('not supported: dead properties on this data provider');
    const current = (await this.store.get(username, [path])).get(path) ?? {};
    const next = { ...current };
    for (const { op, prop } of ops) {
      const key = clark(prop.ns, prop.local);
      if (op === 'set') next[key] = serialize(prop);
      else delete next[key];
    }
    await this.store.set(username, path, next);
  }

  async removeTree(username: string, path: string): Promise<void> {
    await this.store?.removeTree(username, path);
  }

  /** Gives `to` the properties of `from` alone (a Depth 0 COPY of a collection). */
  async copyOne(username: string, from: string, to: string): Promise<void> {
    if (!this.store) return;
    const props = (await this.store.get(username, [from])).get(from) ?? {};
    await this.store.removeTree(username, to);
    await this.store.set(username, to, props);
  }

  async copyTree(username: string, from: string, to: string, move: boolean): Promise<void> {
    await this.store?.copyTree(username, from, to, move);
  }
}
