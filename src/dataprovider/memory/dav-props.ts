/**
 * WebDAV dead properties of the memory provider: user -> virtual path -> properties.
 * Like the rest of the memory provider, they last as long as the process.
 */
import type { DavPropStore } from '../types.js';

/** True when `p` is `root` or lies below it (clean virtual paths). */
function inTree(p: string, root: string): boolean {
  return p === root || root === '/' || p.startsWith(`${root}/`);
}

/** `p` (inside the tree at `from`) moved under `to`. */
function rebase(p: string, from: string, to: string): string {
  const rest = p.slice(from.length);
  return to === '/' ? rest || '/' : to + rest;
}

/** Dead properties in process memory. */
export class MemoryDavProps implements DavPropStore {
  private readonly byUser = new Map<string, Map<string, Record<string, string>>>();

  private paths(username: string): Map<string, Record<string, string>> {
    let m = this.byUser.get(username);
    if (!m) {
      m = new Map();
      this.byUser.set(username, m);
    }
    return m;
  }

  async get(username: string, paths: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const mine = this.byUser.get(username);
    const out = new Map<string, Record<string, string>>();
    for (const p of paths) {
      const props = mine?.get(p);
      if (props) out.set(p, { ...props });
    }
    return out;
  }

  async set(username: string, path: string, props: Record<string, string>): Promise<void> {
    if (Object.keys(props).length === 0) this.paths(username).delete(path);
    else this.paths(username).set(path, { ...props });
  }

  async removeTree(username: string, path: string): Promise<void> {
    const mine = this.byUser.get(username);
    if (!mine) return;
    for (const p of [...mine.keys()]) if (inTree(p, path)) mine.delete(p);
  }

  async copyTree(username: string, from: string, to: string, move: boolean): Promise<void> {
    const mine = this.paths(username);
    const moved = [...mine.entries()].filter(([p]) => inTree(p, from));
    if (move) for (const [p] of moved) mine.delete(p);
    await this.removeTree(username, to);
    for (const [p, props] of moved) mine.set(rebase(p, from, to), { ...props });
  }
}
