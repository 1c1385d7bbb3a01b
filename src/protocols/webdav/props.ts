/**
 * Live properties (RFC 4918 §15) computed from a stat and the lock table, plus the XML pieces of
 * multistatus bodies. Live properties are protected: PROPPATCH cannot change them.
 */
import type { VirtualFileInfo } from '../../core/types.js';
import { etagOf } from './conditions.js';
import type { Lock } from './locks.js';
import { hrefXml } from './respond.js';
import { statusLine } from './status-map.js';
import { DAV_NS, escapeText, serialize, type XmlElement } from './xml.js';

/** What live properties are computed from. */
export interface ResourceView {
  path: string;
  href: string;
  info: VirtualFileInfo;
  locks: readonly Lock[];
  contentType: string;
  /** Prefix-aware href of a lock root. */
  hrefOf(path: string, collection: boolean): string;
}

const isCollection = (v: ResourceView) => v.info.type === 'dir';

type LiveProp = (v: ResourceView, now: number) => string | undefined;

/** Live property values (inner XML); undefined = not defined for this resource. */
const LIVE: Readonly<Record<string, LiveProp>> = {
  resourcetype: (v) => (isCollection(v) ? '<D:collection/>' : ''),
  displayname: (v) => escapeText(v.path === '/' ? '/' : v.info.name),
  getcontentlength: (v) => (isCollection(v) ? undefined : String(v.info.size)),
  getlastmodified: (v) => v.info.mtime.toUTCString(),
  getetag: (v) => escapeText(etagOf(v.info)),
  getcontenttype: (v) => (isCollection(v) ? undefined : escapeText(v.contentType)),
  supportedlock: () => ['exclusive', 'shared'].map((s) =>
    `<D:lockentry><D:lockscope><D:${s}/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>`).join(''),
  lockdiscovery: (v, now) => v.locks.map((l) => activeLockXml(l, v.hrefOf(l.root, l.collection), now)).join(''),
};

/** Names of the live properties, all in the DAV: namespace. */
export const LIVE_PROP_NAMES: readonly string[] = Object.keys(LIVE);

/** True for a DAV: property this server computes (and so refuses to set). */
export function isLiveProp(ns: string, local: string): boolean {
  return ns === DAV_NS && Object.hasOwn(LIVE, local);
}

/** `<D:name>value</D:name>` of a live property, or undefined when it does not apply. */
export function liveProp(local: string, v: ResourceView, now = Date.now()): string | undefined {
  const fn = LIVE[local];
  const value = fn?.(v, now);
  if (value === undefined) return undefined;
  return value === '' ? `<D:${local}/>` : `<D:${local}>${value}</D:${local}>`;
}

/** One `<D:activelock>` (RFC 4918 §14.1). */
export function activeLockXml(l: Lock, rootHref: string, now = Date.now()): string {
  const remaining = Math.max(0, Math.round((l.expiresAt - now) / 1000));
  return '<D:activelock>'
    + '<D:locktype><D:write/></D:locktype>'
    + `<D:lockscope><D:${l.scope}/></D:lockscope>`
    + `<D:depth>${l.depth === 0 ? '0' : 'infinity'}</D:depth>`
    + (l.ownerXml ? `<D:owner>${l.ownerXml}</D:owner>` : '')
    + `<D:timeout>Second-${remaining}</D:timeout>`
    + `<D:locktoken>${hrefXml(l.token)}</D:locktoken>`
    + `<D:lockroot>${hrefXml(rootHref)}</D:lockroot>`
    + '</D:activelock>';
}

/** An empty element naming a property (propname answers and 404 propstats). */
export function emptyProp(ns: string, local: string): string {
  return ns === DAV_NS ? `<D:${local}/>` : serialize({ ns, local, attrs: {}, children: [] });
}

/** `<D:propstat>` grouping properties under one status. */
export function propstatXml(status: number, props: readonly string[]): string {
  return `<D:propstat><D:prop>${props.join('')}</D:prop><D:status>${statusLine(status)}</D:status></D:propstat>`;
}

/** `<D:response>` of one resource: either propstats or a bare status. */
export function responseXml(href: string, body: { propstats: string } | { status: number; condition?: string }): string {
  const inner = 'propstats' in body
    ? body.propstats
    : `<D:status>${statusLine(body.status)}</D:status>${body.condition ? `<D:error><D:${body.condition}/></D:error>` : ''}`;
  return `<D:response>${hrefXml(href)}${inner}</D:response>`;
}

/** Opening tag of a multistatus body; DAV: is the D prefix and no default namespace is declared. */
export const MULTISTATUS_OPEN = '<D:multistatus xmlns:D="DAV:">';
/** Closing tag of a multistatus body. */
export const MULTISTATUS_CLOSE = '</D:multistatus>';

/** Serialized owner content of a LOCK request (the children of DAV:owner). */
export function ownerXml(owner: XmlElement | undefined): string {
  if (!owner) return '';
  // Inside <D:owner> no default namespace is in scope, so children declare their own.
  return owner.children.map((c) => (typeof c === 'string' ? escapeText(c) : serialize(c, ''))).join('');
}
