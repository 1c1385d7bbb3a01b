/**
 * Paging of the web lists (users, folders, admins): `?offset=N`, a fixed page size, and
 * previous/next links. One extra row is fetched to know whether a next page exists.
 */
import type { ListOptions } from '../../../dataprovider/types.js';
import { html, type SafeHtml } from './html.js';

export const PAGE_SIZE = 100;

/** List options for the request's offset (a bad offset is the first page). */
export function pageOptions(query: Record<string, string | string[] | undefined>): ListOptions {
  const raw = query.offset;
  const v = Number(Array.isArray(raw) ? raw[0] : raw);
  return { offset: Number.isSafeInteger(v) && v > 0 ? v : 0, limit: PAGE_SIZE + 1, order: 'ASC' };
}

/** The rows of this page and the previous/next links. */
export function paged<T>(rows: T[], opts: ListOptions, base: string): { rows: T[]; links: SafeHtml } {
  const hasNext = rows.length > PAGE_SIZE;
  const prev = opts.offset > 0 ? html`<a class="button secondary small" href="${base}?offset=${Math.max(0, opts.offset - PAGE_SIZE)}">Previous</a>` : '';
  const next = hasNext ? html`<a class="button secondary small" href="${base}?offset=${opts.offset + PAGE_SIZE}">Next</a>` : '';
  return { rows: rows.slice(0, PAGE_SIZE), links: prev || next ? html`<div class="toolbar">${prev}${next}</div>` : html`` };
}
