/**
 * PROPPATCH (RFC 4918 §9.2): set and remove dead properties in document order, all or nothing.
 * Live properties are protected: one in the request fails it (403 for that property, 424 for the
 * others) and nothing changes. Changing properties is a write to the resource: it needs the
 * `overwrite` permission in the resource's directory and the resource's lock token.
 */
import { Permissions } from '../../../core/permissions.js';
import { parentOf } from '../../../core/vpath.js';
import { permissionDenied } from '../../../util/errors.js';
import { checkWrite } from '../conditions.js';
import type { PropOp } from '../dead-props.js';
import { hrefOf } from '../paths.js';
import { emptyProp, isLiveProp, MULTISTATUS_CLOSE, MULTISTATUS_OPEN, propstatXml, responseXml } from '../props.js';
import { readText, sendXml } from '../respond.js';
import { DavError } from '../status-map.js';
import type { DavRequest } from '../types.js';
import { child, DAV_NS, elements, parseXml } from '../xml.js';

/** The set/remove instructions of a propertyupdate body, in order. */
export function parsePropertyUpdate(body: string): PropOp[] {
  if (body.trim() === '') throw new DavError(400, 'PROPPATCH needs a DAV:propertyupdate body');
  const root = parseXml(body);
  if (root.ns !== DAV_NS || root.local !== 'propertyupdate') throw new DavError(400, 'expected a DAV:propertyupdate body');
  const ops: PropOp[] = [];
  for (const el of elements(root)) {
    if (el.ns !== DAV_NS || (el.local !== 'set' && el.local !== 'remove')) continue;
    const prop = child(el, DAV_NS, 'prop');
    if (!prop) throw new DavError(400, `DAV:${el.local} without DAV:prop`);
    for (const p of elements(prop)) ops.push({ op: el.local, prop: p });
  }
  if (ops.length === 0) throw new DavError(400, 'PROPPATCH names no property');
  return ops;
}

/** PROPPATCH of dead properties. */
export async function handleProppatch(r: DavRequest): Promise<void> {
  const info = await r.conn.stat(r.path);
  if (!new Permissions(r.conn.user).has(parentOf(r.path), 'overwrite')) throw permissionDenied();
  await checkWrite(r, { covered: [r.path] });
  const ops = parsePropertyUpdate(await readText(r.req, r.res));
  const names = ops.map(({ prop }) => emptyProp(prop.ns, prop.local));
  const isProtected = ops.map(({ prop }) => isLiveProp(prop.ns, prop.local));
  let propstats: string;
  if (isProtected.some(Boolean)) {
    propstats = propstatXml(403, names.filter((_, i) => isProtected[i]))
      + (isProtected.every(Boolean) ? '' : propstatXml(424, names.filter((_, i) => !isProtected[i])));
  } else {
    r.conn.setCommand(`PROPPATCH ${r.path}`);
    await r.deps.props.apply(r.conn.user.username, r.path, ops);
    propstats = propstatXml(200, [...new Set(names)]);
  }
  const href = hrefOf(r.binding.prefix, r.path, info.type === 'dir');
  sendXml(r.res, 207, `${MULTISTATUS_OPEN}${responseXml(href, { propstats })}${MULTISTATUS_CLOSE}`);
}
