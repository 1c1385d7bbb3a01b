/**
 * The WebDAV If header (RFC 4918 §10.4):
 *   If = 1*No-tag-list | 1*Tagged-list
 *   Tagged-list = Resource-Tag 1*List ;  List = "(" 1*Condition ")"
 *   Condition = ["Not"] (State-token | "[" entity-tag "]")
 * The header is true when, for some resource it names, at least one of its lists is true
 * (every condition of the list holds). Evaluation is split: this module parses and evaluates
 * against a callback, the handler supplies lock and ETag state.
 */
import { invalidInput } from '../../util/errors.js';

/** One condition of an If list: a state token or an entity tag, maybe negated. */
export interface IfCondition {
  not: boolean;
  /** State token (`opaquelocktoken:...`, `urn:uuid:...`, or any Coded-URL content). */
  token?: string;
  /** Entity tag, quotes included (`"abc"` or `W/"abc"`). */
  etag?: string;
}

/** One parenthesized list, tagged with its resource or not. */
export interface IfList {
  /** Resource tag (raw URL without angle brackets), undefined for a No-tag-list. */
  resource?: string;
  conditions: IfCondition[];
}

/** Parses the header value; throws InvalidInput (→ 400) when malformed. */
export function parseIfHeader(value: string): IfList[] {
  const lists: IfList[] = [];
  let i = 0;
  let resource: string | undefined;
  let tagged: boolean | undefined;
  const s = value;
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  for (skipWs(); i < s.length; skipWs()) {
    if (s[i] === '<') {
      if (tagged === false) throw invalidInput('If header mixes tagged and untagged lists');
      tagged = true;
      const end = s.indexOf('>', i);
      if (end < 0) throw invalidInput('If header: unterminated resource tag');
      resource = s.slice(i + 1, end);
      i = end + 1;
      skipWs();
      if (s[i] !== '(') throw invalidInput('If header: resource tag without list');
    } else if (s[i] === '(') {
      if (tagged === undefined) tagged = false;
      const end = findListEnd(s, i);
      lists.push({ resource: tagged ? resource : undefined, conditions: parseConditions(s.slice(i + 1, end)) });
      i = end + 1;
    } else {
      throw invalidInput(`If header: unexpected character '${s[i]}'`);
    }
  }
  if (lists.length === 0) throw invalidInput('empty If header');
  return lists;
}

function findListEnd(s: string, start: number): number {
  let inAngle = false;
  let inBracket = false;
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '<' && !inBracket) inAngle = true;
    else if (c === '>' && inAngle) inAngle = false;
    else if (c === '[' && !inAngle) inBracket = true;
    else if (c === ']' && inBracket) inBracket = false;
    else if (c === ')' && !inAngle && !inBracket) return i;
  }
  throw invalidInput('If header: unterminated list');
}

function parseConditions(body: string): IfCondition[] {
  const out: IfCondition[] = [];
  const re = /\s*(Not\s+)?(?:<([^>]*)>|\[([^\]]*)\])\s*/iy;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m) throw invalidInput(`If header: bad condition near '${body.slice(pos, pos + 20)}'`);
    const not = m[1] !== undefined;
    if (m[2] !== undefined) out.push({ not, token: m[2] });
    else out.push({ not, etag: m[3]!.trim() });
    pos = re.lastIndex;
  }
  if (out.length === 0) throw invalidInput('If header: empty list');
  return out;
}

/** What the evaluator needs to know about one resource. */
export interface ResourceState {
  /** Current ETag (quoted) or undefined when the resource does not exist. */
  etag?: string;
  /** Tokens of the locks covering the resource. */
  lockTokens: readonly string[];
}

/**
 * Evaluates parsed lists. `resolve` maps a resource tag (or undefined for the request URI) to its
 * state. Returns whether the header holds and the state tokens named in the lists that held
 * (those count as "submitted" lock tokens, RFC 4918 §6.5).
 */
export async function evaluateIf(
  lists: IfList[],
  resolve: (resource: string | undefined) => Promise<ResourceState>,
): Promise<{ ok: boolean; tokens: string[] }> {
  let ok = false;
  const tokens: string[] = [];
  for (const list of lists) {
    const state = await resolve(list.resource);
    if (list.conditions.every((c) => conditionHolds(c, state))) {
      ok = true;
      for (const c of list.conditions) if (c.token !== undefined && !c.not) tokens.push(c.token);
    }
  }
  return { ok, tokens };
}

function conditionHolds(c: IfCondition, state: ResourceState): boolean {
  let match: boolean;
  if (c.token !== undefined) match = state.lockTokens.includes(c.token);
  else match = state.etag !== undefined && weakStrip(state.etag) === weakStrip(c.etag!);
  return c.not ? !match : match;
}

function weakStrip(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/** Every state token mentioned anywhere (used when a request only needs to prove lock ownership). */
export function allTokens(lists: IfList[]): string[] {
  return lists.flatMap((l) => l.conditions.filter((c) => c.token !== undefined && !c.not).map((c) => c.token!));
}
