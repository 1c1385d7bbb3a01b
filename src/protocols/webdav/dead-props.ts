/**
 * Dead properties (RFC 4918 §4) kept beside the resource in memory, keyed by user + virtual path,
 * so they work on every backend (object stores have no xattrs). They follow the resource on
 * COPY/MOVE and vanish on DELETE. They do not survive a restart: persisting them in the data
 * provider is later work.
 */
import type { XmlElement } from './xml.js';
import { clark } from './xml.js';
import { isWithin } from './locks.js';

export class DeadPropStore {
  /** user -> path -> clark name -> property element. */
  private readonly byUser = new Map<string, Map<string, Map<string, XmlElement>>>();

  private paths(username: string): Map<string, Map<string, XmlElement>> {
    let m = this.byUser.get(username);
    if (!m) {
      m = new Map();
      this.byUser.set(username, m);
    }
    return m;
  }

  list(username: string, path: string): XmlElement[] {
    return [...(this.byUser.get(username)?.get(path)?.values() ?? [])];
  }

  get(username: string, path: string, ns: string, local: string): XmlElement | undefined {
    return this.byUser.get(username)?.get(path)?.get(clark(ns, local));
  }

  /** Applies a batch of set/remove operations at once (PROPPATCH is atomic). */
  apply(username: string, path: string, ops: { op: 'set' | 'remove'; prop: XmlElement }[]): void {
    const paths = this.paths(username);
    const props = new Map(paths.get(path) ?? []);
    for (const { op, prop } of ops) {
      if (op === 'set') props.set(clark(prop.ns, prop.local), prop);
      else props.delete(clark(prop.ns, prop.local));
    }
    if (props.size === 0) paths.delete(path);
    else paths.set(path, props);
  }

  /** Removes the properties of `path` and everything below it. */
  removeTree(username: string, path: string): void {
    const paths = this.byUser.get(username);
    if (!paths) return;
    for (const p of [...paths.keys()]) if (isWithin(p, path)) paths.delete(p);
  }

  /** Copies (or moves) properties of a subtree to a new root. The destination tree is replaced. */
  copyTree(username: string, from: string, to: string, move: boolean): void {
    const paths = this.paths(username);
    this.removeTree(username, to);
    for (const [p, props] of [...paths.entries()]) {
      if (!isWithin(p, from)) continue;
      paths.set(to + p.slice(from.length), new Map(props));
      if (move) paths.delete(p);
    }
  }
}
