/**
 * Preconditions of a request: the If header (RFC 4918 §10.4) and lock enforcement (§7, §6.5).
 * Every method that changes something calls `checkWrite` with what it touches:
 *  - `covered`: resources written (their locks, own or inherited from a Depth infinity ancestor);
 *  - `trees`: subtrees removed or replaced (every lock rooted inside them).
 * The If header, when present, must hold (else 412); the lock tokens named by its true lists are
 * the submitted ones, and every lock in the way needs one of them (else 423).
 */
import type { VirtualFileInfo } from '../../core/types.js';
import { ErrorKind, errorKindOf } from '../../util/errors.js';
import { evaluateIf, parseIfHeader, type ResourceState } from './if-header.js';
import type { Lock } from './locks.js';
import { decodePath, pathOfTarget, stripPrefix } from './paths.js';
import { header } from './respond.js';
import { DavError } from './status-map.js';
import type { DavRequest } from './types.js';

/** Strong ETag of a file version: mtime and size (what every backend can give). */
export function etagOf(info: VirtualFileInfo): string {
  return `"${info.mtime.getTime().toString(16)}-${info.size.toString(16)}"`;
}

/** Stat that answers undefined for a missing resource (other errors, such as 403, propagate). */
export async function statOrUndefined(r: DavRequest, path: string): Promise<VirtualFileInfo | undefined> {
  try {
    return await r.conn.stat(path);
  } catch (err) {
    if (errorKindOf(err) === ErrorKind.NotFound) return undefined;
    throw err;
  }
}

/** Virtual path of an If resource tag, undefined when it is outside this server. */
function tagPath(r: DavRequest, tag: string): string | undefined {
  try {
    const rest = stripPrefix(pathOfTarget(tag), r.binding.prefix);
    return rest === undefined ? undefined : decodePath(rest);
  } catch {
    return undefined;
  }
}

async function stateOf(r: DavRequest, path: string | undefined): Promise<ResourceState> {
  if (path === undefined) return { lockTokens: [] };
  const info = await r.conn.stat(path).catch(() => undefined);
  const lockTokens = r.deps.locks.covering(r.conn.user.username, path).map((l) => l.token);
  return { etag: info ? etagOf(info) : undefined, lockTokens };
}

/** Evaluates the If header (412 when false) and returns the submitted lock tokens. */
export async function submittedTokens(r: DavRequest): Promise<string[]> {
  const value = header(r.req, 'if');
  if (value === undefined) return [];
  const lists = parseIfHeader(value);
  const states = new Map<string, Promise<ResourceState>>();
  const resolve = (tag: string | undefined): Promise<ResourceState> => {
    const path = tag === undefined ? r.path : tagPath(r, tag);
    const key = path ?? '\0outside';
    let s = states.get(key);
    if (!s) states.set(key, (s = stateOf(r, path)));
    return s;
  };
  const { ok, tokens } = await evaluateIf(lists, resolve);
  if (!ok) throw new DavError(412, 'the If header does not match the resource state');
  return tokens;
}

/** What a write touches. */
export interface WriteScope {
  covered?: readonly string[];
  trees?: readonly string[];
}

/** 423 unless each group of locks in the way has one of its tokens submitted. */
function requireTokens(groups: Iterable<Lock[]>, tokens: readonly string[]): void {
  for (const locks of groups) {
    if (locks.length > 0 && !locks.some((l) => tokens.includes(l.token))) {
      throw new DavError(423, `resource locked: ${locks[0]!.root}`, 'lock-token-submitted');
    }
  }
}

/** Checks the If header and the locks for a write; returns the submitted tokens. */
export async function checkWrite(r: DavRequest, scope: WriteScope): Promise<string[]> {
  const tokens = await submittedTokens(r);
  const user = r.conn.user.username;
  const locks = r.deps.locks;
  requireTokens((scope.covered ?? []).map((p) => locks.covering(user, p)), tokens);
  for (const tree of scope.trees ?? []) {
    const byRoot = new Map<string, Lock[]>();
    for (const l of locks.within(user, tree)) byRoot.set(l.root, [...(byRoot.get(l.root) ?? []), l]);
    requireTokens(byRoot.values(), tokens);
  }
  return tokens;
}
