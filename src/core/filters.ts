/**
 * File pattern filters (INVENTORY §4.4). The filter of the closest ancestor of the file's parent
 * applies (no merging); denied patterns first; names are lower-cased. Globs follow Go's
 * filepath.Match: `*` and `?` never cross "/", `[...]`/`[^...]` classes, `\` escapes, and a
 * leading dot is matched like any other character — hence the picomatch options below.
 */
import picomatch from 'picomatch';
import type { User } from '../dataprovider/models.js';
import { baseOf, cleanVirtualPath, parentOf, selfAndAncestors } from './vpath.js';

type Matcher = (name: string) => boolean;

const GLOB_OPTIONS: picomatch.PicomatchOptions = {
  dot: true, nobrace: true, noextglob: true, noglobstar: true, nonegate: true,
};

/** Compiles one Go-style glob. */
export function compileGlob(pattern: string): Matcher {
  return picomatch(pattern.toLowerCase(), GLOB_OPTIONS);
}

interface CompiledFilter {
  allowed: Matcher[];
  denied: Matcher[];
}

/** Pattern filters of one user, compiled once per connection. */
export class FileFilters {
  private readonly byDir = new Map<string, CompiledFilter>();

  constructor(user: Pick<User, 'filters'>) {
    for (const f of user.filters?.file_patterns ?? []) {
      this.byDir.set(cleanVirtualPath(f.path), {
        allowed: (f.allowed_patterns ?? []).map(compileGlob),
        denied: (f.denied_patterns ?? []).map(compileGlob),
      });
    }
  }

  /** True when the file at `vpath` may be transferred, deleted or renamed. */
  isAllowed(vpath: string): boolean {
    if (this.byDir.size === 0 || vpath === '/') return true;
    const filter = this.closest(parentOf(vpath));
    if (!filter) return true;
    const name = baseOf(vpath).toLowerCase();
    if (filter.denied.some((m) => m(name))) return false;
    return filter.allowed.length === 0 || filter.allowed.some((m) => m(name));
  }

  /** True when some filter is configured in `vdir` or below it (system commands are refused there). */
  hasFiltersAtOrBelow(vdir: string): boolean {
    const prefix = vdir === '/' ? '/' : `${vdir}/`;
    return [...this.byDir.keys()].some((d) => d === vdir || d.startsWith(prefix));
  }

  private closest(vdir: string): CompiledFilter | undefined {
    for (const d of selfAndAncestors(vdir)) {
      const f = this.byDir.get(d);
      if (f) return f;
    }
    return undefined;
  }
}
