/**
 * `/static/*`: a file inside `httpd.static_files_path` wins when that directory exists (so an
 * operator can restyle the pages by dropping a `sftpgo-web.css` there); otherwise the embedded
 * asset of the same name is served. SFTPGo's own static tree (bootstrap, jQuery...) may sit in
 * that directory: it is harmless, our pages only ask for our two file names.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Context } from 'koa';
import mime from 'mime-types';
import { EMBEDDED_ASSETS } from './assets.js';

/** Serves `name` (the path below /static) from `dir` or the embedded set; false when unknown. */
export async function serveStatic(ctx: Context, dir: string | undefined, name: string): Promise<boolean> {
  if (dir && (await serveFromDir(ctx, dir, name))) return true;
  const asset = EMBEDDED_ASSETS.get(name);
  if (!asset) return false;
  ctx.type = asset.type;
  ctx.set('Cache-Control', 'no-cache');
  ctx.body = asset.body;
  return true;
}

async function serveFromDir(ctx: Context, dir: string, name: string): Promise<boolean> {
  const root = resolve(dir);
  const file = resolve(join(root, name));
  if (!file.startsWith(root + sep)) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  ctx.type = mime.contentType(file.split(sep).pop() ?? '') || 'application/octet-stream';
  ctx.length = info.size;
  ctx.set('Last-Modified', info.mtime.toUTCString());
  ctx.body = createReadStream(file);
  return true;
}

/** The static dir to consult: `static_files_path` resolved against the config dir, when it is a directory. */
export async function staticDirOf(configDir: string, staticFilesPath: string): Promise<string | undefined> {
  if (!staticFilesPath) return undefined;
  const dir = resolve(configDir, staticFilesPath);
  const info = await stat(dir).catch(() => undefined);
  return info?.isDirectory() ? dir : undefined;
}
