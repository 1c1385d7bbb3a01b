/**
 * Web client "My Files" (INVENTORY §3.6): browse directories (server-rendered listing, plus the
 * JSON listing at listdir), download one file (Range/If-Range, as the user API), and download
 * several selected files/folders as `sftpgo-download.zip`. Every access goes through a core
 * Connection (protocol HTTP) opened by the user API's helper, so permissions, patterns, virtual
 * folders, bandwidth and the connections list apply; nothing is uploaded, renamed or deleted here.
 */
import { posix } from 'node:path';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { VirtualFileInfo } from '../../../../core/types.js';
import { validationError } from '../../../../util/errors.js';
import { cleanVirtualPath } from '../../../../core/vpath.js';
import { downloadFile, openConnection, streamZip } from '../../api/user-files.js';
import type { ApiState } from '../../types.js';
import { formatBytes, formatDate } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { clientNav, documentHtml, sendHtml } from '../layout.js';
import type { WebPaths } from '../paths.js';
import { clientUserOf, type WebDeps, type WebRouteContext } from '../types.js';

function queryPath(ctx: WebRouteContext): string {
  const raw = ctx.query.path;
  return cleanVirtualPath(typeof raw === 'string' ? raw : '/');
}

/** Link to the files page (a directory, or a file to download). */
export function filesUrl(paths: WebPaths, vpath: string): string {
  return `${paths.client.files}?path=${encodeURIComponent(vpath)}`;
}

/** Breadcrumbs of a directory: each ancestor links to its listing. */
export function breadcrumbs(paths: WebPaths, dir: string): SafeHtml {
  const parts = dir.split('/').filter((p) => p);
  const links = parts.map((name, i) => {
    const target = `/${parts.slice(0, i + 1).join('/')}`;
    return i === parts.length - 1 ? html` / <strong>${name}</strong>` : html` / <a href="${filesUrl(paths, target)}">${name}</a>`;
  });
  return html`<div class="crumbs">${parts.length ? html`<a href="${filesUrl(paths, '/')}">Home</a>` : html`<strong>Home</strong>`}${links}</div>`;
}

/** Directories first, then by name. */
function sortEntries(entries: VirtualFileInfo[]): VirtualFileInfo[] {
  return entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function entryRow(paths: WebPaths, dir: string, e: VirtualFileInfo): SafeHtml {
  const target = posix.join(dir, e.name);
  const isDir = e.type === 'dir';
  return html`<tr><td><input type="checkbox" name="files" value="${e.name}" aria-label="Select ${e.name}"></td>
  <td><a href="${filesUrl(paths, target)}"${isDir ? '' : html` download`}>${e.name}${isDir ? '/' : ''}</a></td>
  <td class="num">${isDir ? '' : formatBytes(e.size)}</td><td>${formatDate(e.mtime)}</td></tr>`;
}

/** The listing page body of `dir`. */
export function listingBody(paths: WebPaths, dir: string, entries: VirtualFileInfo[]): SafeHtml {
  const rows = sortEntries(entries).map((e) => entryRow(paths, dir, e));
  return html`${breadcrumbs(paths, dir)}
  <form id="zip-form" method="get" action="${paths.client.downloadZip}"><input type="hidden" name="path" value="${dir}">
  <input type="hidden" id="zip-files" name="files" value="" disabled>
  <div class="toolbar"><button type="submit" id="zip-download">Download selected as zip</button></div>
  <table id="files"><thead><tr><th><input type="checkbox" data-select-all="files" aria-label="Select all"></th><th>Name</th><th>Size</th><th>Last modified</th></tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="4" class="muted">This folder is empty</td></tr>`}</tbody></table></form>`;
}

async function filesPage(ctx: WebRouteContext, deps: WebDeps): Promise<void> {
  const path = queryPath(ctx);
  const conn = await openConnection(deps, ctx);
  const info = await conn.stat(path);
  if (info.type !== 'dir') return downloadFile(ctx, conn, path);
  conn.setCommand(`ListDir ${path}`);
  const entries: VirtualFileInfo[] = [];
  for await (const e of conn.list(path)) entries.push(e);
  const user = clientUserOf(ctx);
  sendHtml(ctx, documentHtml({ title: 'My Files', paths: deps.paths, nav: clientNav(deps.paths, user.username, 'files') }, listingBody(deps.paths, path, entries)));
}

/** One listing entry as the web client's JSON (type "1" directory, "2" file). */
export function listEntryJson(paths: WebPaths, dir: string, e: VirtualFileInfo): Record<string, string> {
  const isDir = e.type === 'dir';
  return {
    type: isDir ? '1' : '2', name: e.name, size: isDir ? '' : formatBytes(e.size), last_modified: formatDate(e.mtime),
    url: filesUrl(paths, posix.join(dir, e.name)),
  };
}

async function listDir(ctx: WebRouteContext, deps: WebDeps): Promise<void> {
  const path = queryPath(ctx);
  const conn = await openConnection(deps, ctx);
  conn.setCommand(`ListDir ${path}`);
  const out = [];
  for await (const e of conn.list(path)) out.push(listEntryJson(deps.paths, path, e));
  ctx.body = out;
}

/** The selected names: `files` as one JSON array (what our script sends) or repeated fields. */
export function selectedFiles(query: Record<string, string | string[] | undefined>): string[] {
  const raw = query.files;
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v) => v !== '');
  if (values.length === 1 && values[0]!.startsWith('[')) {
    try {
      const parsed = JSON.parse(values[0]!) as unknown;
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed as string[];
    } catch {
      // not JSON: a file whose name starts with "[", taken as is
    }
  }
  if (values.length === 0) throw validationError([{ field: 'files', message: 'select at least one file or folder' }]);
  return values;
}

async function downloadZip(ctx: WebRouteContext, deps: WebDeps): Promise<void> {
  const dir = queryPath(ctx);
  const names = selectedFiles(ctx.query);
  if (names.length === 0) throw validationError([{ field: 'files', message: 'select at least one file or folder' }]);
  const conn = await openConnection(deps, ctx);
  conn.setCommand('Download zip');
  ctx.set('Content-Disposition', 'attachment; filename="sftpgo-download.zip"');
  ctx.type = 'application/zip';
  ctx.body = streamZip(conn, names.map((n) => posix.join(dir, n)), (err) => ctx.state.log.warn({ err }, 'zip entry failed'));
}

/** My Files, the JSON listing and the zip download. */
export function registerClientFileRoutes(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.client;
  router.get(p.files, session, (ctx: WebRouteContext) => filesPage(ctx, deps));
  router.get(p.listDir, session, (ctx: WebRouteContext) => listDir(ctx, deps));
  router.get(p.downloadZip, session, (ctx: WebRouteContext) => downloadZip(ctx, deps));
}
