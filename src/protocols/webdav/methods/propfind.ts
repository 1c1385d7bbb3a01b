/**
 * PROPFIND (RFC 4918 §9.1): Depth 0 or 1. Depth infinity, explicit or implied by a missing header,
 * is refused with 403 and the propfind-finite-depth condition (§9.1 allows it), so one request can
 * never walk a whole tree. Children are listed as a stream and answered in batches; entries the
 * user cannot stat (dangling or escaping symlinks) are left out, as SFTPGo does.
 */
import type { VirtualFileInfo } from '../../../core/types.js';
import { DavError } from '../status-map.js';
import { parseDepth } from '../headers.js';
import { hrefOf } from '../paths.js';
import {
  emptyProp, isLiveProp, LIVE_PROP_NAMES, liveProp, MULTISTATUS_CLOSE, MULTISTATUS_OPEN, propstatXml, responseXml,
  type ResourceView,
} from '../props.js';
import { parseClark } from '../dead-props.js';
import { header, readText, XML_DECL, XML_TYPE } from '../respond.js';
import type { DavRequest } from '../types.js';
import { child, DAV_NS, elements, parseXml, type XmlElement } from '../xml.js';

/** What a PROPFIND asks for (RFC 4918 §14.20). */
export type PropfindKind =
  | { kind: 'allprop'; include: XmlElement[] }
  | { kind: 'propname' }
  | { kind: 'prop'; props: XmlElement[] };

/** Parses a PROPFIND body; an empty body means allprop (§9.1). */
export function parsePropfind(body: string): PropfindKind {
  if (body.trim() === '') return { kind: 'allprop', include: [] };
  const root = parseXml(body);
  if (root.ns !== DAV_NS || root.local !== 'propfind') throw new DavError(400, 'expected a DAV:propfind body');
  const prop = child(root, DAV_NS, 'prop');
  if (prop) return { kind: 'prop', props: elements(prop) };
  if (child(root, DAV_NS, 'propname')) return { kind: 'propname' };
  if (child(root, DAV_NS, 'allprop')) return { kind: 'allprop', include: elements(child(root, DAV_NS, 'include') ?? { ns: '', local: '', attrs: {}, children: [] }) };
  throw new DavError(400, 'DAV:propfind needs prop, propname or allprop');
}

const BATCH = 200;

/** PROPFIND at Depth 0 or 1. */
export async function handlePropfind(r: DavRequest): Promise<void> {
  const depth = parseDepth(header(r.req, 'depth'), 'infinity');
  if (depth === 'infinity') throw new DavError(403, 'PROPFIND with Depth infinity is not supported', 'propfind-finite-depth');
  const what = parsePropfind(await readText(r.req, r.res));
  await writePropfind(r, r.path, depth, what);
}

/** The 207 answer for `path` (and its children at Depth 1); also used for GET on a collection. */
export async function writePropfind(r: DavRequest, path: string, depth: 0 | 1, what: PropfindKind): Promise<void> {
  const info = await r.conn.stat(path);
  const first = await describe(r, [{ path, info }], what);
  r.res.writeHead(207, { 'Content-Type': XML_TYPE });
  r.res.write(`${XML_DECL}${MULTISTATUS_OPEN}${first}`);
  if (depth === 1 && info.type === 'dir') await writeChildren(r, path, what);
  r.res.end(MULTISTATUS_CLOSE);
}

async function writeChildren(r: DavRequest, dir: string, what: PropfindKind): Promise<void> {
  let batch: { path: string; info: VirtualFileInfo }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const xml = await describe(r, batch, what);
    batch = [];
    if (!r.res.write(xml)) await new Promise((ok) => r.res.once('drain', ok));
  };
  for await (const entry of r.conn.list(dir)) {
    const path = dir === '/' ? `/${entry.name}` : `${dir}/${entry.name}`;
    const info = entry.type === 'symlink' ? await r.conn.stat(path).catch(() => undefined) : entry;
    if (!info) continue;
    batch.push({ path, info: { ...info, name: entry.name } });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

/** `<D:response>` elements for a batch of resources. */
async function describe(r: DavRequest, items: { path: string; info: VirtualFileInfo }[], what: PropfindKind): Promise<string> {
  const user = r.conn.user.username;
  const dead = await r.deps.props.forPaths(user, items.map((i) => i.path));
  return items.map(({ path, info }) => {
    const view: ResourceView = {
      path, info, href: hrefOf(r.binding.prefix, path, info.type === 'dir'),
      locks: r.deps.locks.covering(user, path), contentType: r.deps.mime.typeOf(info.name),
      hrefOf: (p, collection) => hrefOf(r.binding.prefix, p, collection),
    };
    return responseXml(view.href, { propstats: propstats(view, dead.get(path) ?? {}, what) });
  }).join('');
}

function propstats(v: ResourceView, dead: Record<string, string>, what: PropfindKind): string {
  if (what.kind === 'propname') {
    const live = LIVE_PROP_NAMES.filter((n) => liveProp(n, v) !== undefined).map((n) => `<D:${n}/>`);
    const deadNames = Object.keys(dead).map((k) => { const c = parseClark(k); return emptyProp(c.ns, c.local); });
    return propstatXml(200, [...live, ...deadNames]);
  }
  if (what.kind === 'allprop') {
    const live = LIVE_PROP_NAMES.map((n) => liveProp(n, v)).filter((x): x is string => x !== undefined);
    return propstatXml(200, [...live, ...Object.values(dead)]);
  }
  const found: string[] = [];
  const missing: string[] = [];
  for (const p of what.props) {
    const value = isLiveProp(p.ns, p.local) ? liveProp(p.local, v) : dead[`{${p.ns}}${p.local}`];
    if (value !== undefined) found.push(value);
    else missing.push(emptyProp(p.ns, p.local));
  }
  if (!found.length && !missing.length) return propstatXml(200, []);
  return (found.length ? propstatXml(200, found) : '') + (missing.length ? propstatXml(404, missing) : '');
}
