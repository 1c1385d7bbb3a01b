/**
 * Namespace-aware XML for WebDAV bodies. fast-xml-parser gives a prefix-level tree; this module
 * resolves every prefix to its namespace URI (XML Namespaces 1.0) so callers match on
 * `{ns, local}` only, and serializes elements back with default-namespace declarations so dead
 * properties return with their own namespace URIs and no invented prefixes.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidInput } from '../../util/errors.js';

/** The WebDAV namespace. */
export const DAV_NS = 'DAV:';

/** One element with its namespace resolved. Text and elements keep document order in `children`. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Non-namespace attributes (xmlns declarations removed). */
  attrs: Record<string, string>;
  children: XmlNode[];
}
/** A child of an element: an element or text. */
export type XmlNode = XmlElement | string;

type RawNode = Record<string, unknown>;

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are decoded here, once, so `&amp;#65;` stays the literal text `&#65;`.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
} as const;

/** Parses a body; throws InvalidInput (→ 400) for anything not well-formed or namespace-invalid. */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE/i.test(text)) throw invalidInput('DOCTYPE is not allowed in request bodies');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw invalidInput(`malformed XML: ${valid.err.msg}`);
  const raw = new XMLParser(PARSER_OPTIONS).parse(text) as RawNode[];
  const roots = raw.map((n) => convert(n, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]))).filter(isElement);
  if (roots.length !== 1) throw invalidInput('XML body must have exactly one root element');
  return roots[0]!;
}

function convert(node: RawNode, scope: Map<string, string>): XmlNode | null {
  if ('#text' in node) return decodeEntities(String(node['#text']));
  if ('#comment' in node) return null;
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (tag === undefined) return null;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttrs)) {
    const decoded = decodeEntities(String(value));
    if (name === 'xmlns') inner.set('', decoded);
    else if (name.startsWith('xmlns:')) {
      // Namespaces 1.0 §5: a prefix may not be bound to the empty name.
      if (decoded === '') throw invalidInput(`namespace prefix ${name.slice(6)} bound to an empty URI`);
      inner.set(name.slice(6), decoded);
    } else attrs[name] = decoded;
  }
  const colon = tag.indexOf(':');
  const prefix = colon >= 0 ? tag.slice(0, colon) : '';
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw invalidInput(`undeclared namespace prefix ${prefix}`);
  const kids = (node[tag] as RawNode[] | undefined) ?? [];
  const children = kids.map((k) => convert(k, inner)).filter((k): k is XmlNode => k !== null);
  return { ns: ns ?? '', local: colon >= 0 ? tag.slice(colon + 1) : tag, attrs, children };
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16), m);
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10), m);
    const named = NAMED[ref];
    if (named === undefined) throw invalidInput(`unknown entity ${m}`);
    return named;
  });
}

function safeCodePoint(cp: number, original: string): string {
  if (!Number.isFinite(cp) || cp > 0x10ffff || cp < 1) throw invalidInput(`invalid character reference ${original}`);
  return String.fromCodePoint(cp);
}

/** True for an element (not text). */
export function isElement(n: XmlNode | null): n is XmlElement {
  return n !== null && typeof n !== 'string';
}

/** Child elements (text and whitespace skipped). */
export function elements(el: XmlElement): XmlElement[] {
  return el.children.filter(isElement);
}

/** First child element with that name, or undefined. */
export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  return elements(el).find((c) => c.ns === ns && c.local === local);
}

/** Concatenated text content (direct and nested). */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Escapes text content (CR too, so it survives parsing). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/**
 * Serializes an element. A namespace is declared as the default (`xmlns="..."`) wherever it changes
 * from the parent's, so the output carries no prefixes of its own and every URI survives as sent.
 */
export function serialize(el: XmlElement, parentNs: string | null = null): string {
  const decl = el.ns !== parentNs ? ` xmlns="${escapeAttr(el.ns)}"` : '';
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (el.children.length === 0) return `<${el.local}${decl}${attrs}/>`;
  const inner = el.children.map((c) => (typeof c === 'string' ? escapeText(c) : serialize(c, el.ns))).join('');
  return `<${el.local}${decl}${attrs}>${inner}</${el.local}>`;
}

/** Clark notation key `{ns}local`, used to index properties. */
export function clark(ns: string, local: string): string {
  return `{${ns}}${local}`;
}
