/**
 * Azure Blob driver over the official SDK (@azure/storage-blob): block blobs uploaded in parallel
 * blocks from the stream, server-side copies polled until done. Loaded lazily by the factory.
 */
import type { Readable } from 'node:stream';
import {
  BlobServiceClient, ContainerClient, StorageSharedKeyCredential, type BlockBlobTier, type ListBlobsFlatSegmentResponse,
  type ListBlobsHierarchySegmentResponse,
} from '@azure/storage-blob';
import { ErrorKind, invalidInput } from '../../util/errors.js';
import type { ListRequest, ObjectDriver, ObjectMeta, ObjectPage, UploadRequest } from '../shared/driver.js';
import { peekBody } from '../shared/peek.js';
import { cloudError, LONG_TIMEOUT_MS, raceSignal, SHORT_TIMEOUT_MS, withDeadline } from '../shared/cloud.js';

/** Resolved Azure Blob settings (secrets in clear, sizes in bytes). */
export interface AzBlobSettings {
  container: string;
  accountName?: string;
  accountKey?: string;
  sasUrl?: string;
  endpoint?: string;
  useEmulator: boolean;
  accessTier?: string;
  partSize: number;
  concurrency: number;
}

/** The container client for the settings (shared key or SAS URL, cloud or emulator). */
function containerClient(s: AzBlobSettings): ContainerClient {
  if (s.sasUrl) {
    const url = new URL(s.sasUrl);
    const inPath = url.pathname.split('/').filter(Boolean)[s.useEmulator ? 1 : 0];
    // A container-level SAS names its container in the path; an account SAS needs `container`.
    if (inPath) {
      if (s.container && s.container !== decodeURIComponent(inPath)) throw invalidInput('azblobconfig: container does not match the SAS URL');
      return new ContainerClient(s.sasUrl);
    }
    if (!s.container) throw invalidInput('azblobconfig.container is required with an account SAS URL');
    return new BlobServiceClient(s.sasUrl).getContainerClient(s.container);
  }
  const account = s.accountName ?? '';
  const endpoint = (s.endpoint || (s.useEmulator ? 'http://127.0.0.1:10000' : 'blob.core.windows.net')).replace(/\/+$/, '');
  const base = s.useEmulator ? `${endpoint}/${account}` : `https://${account}.${endpoint.replace(/^https?:\/\//, '')}`;
  return new ContainerClient(`${base}/${encodeURIComponent(s.container)}`, new StorageSharedKeyCredential(account, s.accountKey ?? ''));
}

/** Talks to one container. */
export class AzBlobDriver implements ObjectDriver {
  readonly name = 'azblob';
  readonly description: string;
  readonly refusedChars = { chars: '\\', why: 'Azure Blob Storage turns it into "/"' };
  private readonly container: ContainerClient;

  constructor(private readonly s: AzBlobSettings, keyPrefix: string) {
    this.container = containerClient(s);
    this.description = `azblob:${this.container.containerName}/${keyPrefix}`;
  }

  async headRoot(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call('get container properties', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.container.getProperties({ abortSignal }));
      return true;
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return false;
      throw err;
    }
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectMeta | undefined> {
    try {
      const p = await this.call('get properties', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.container.getBlobClient(key).getProperties({ abortSignal }));
      return { key, size: p.contentLength ?? 0, mtime: p.lastModified ?? new Date(0) };
    } catch (err) {
      if ((err as { kind?: string }).kind === ErrorKind.NotFound) return undefined;
      throw err;
    }
  }

  async list(req: ListRequest): Promise<ObjectPage> {
    return this.call('list', req.signal, SHORT_TIMEOUT_MS, async (abortSignal) => {
      const page = { continuationToken: req.token, maxPageSize: req.max };
      if (req.delimiter) {
        const it = this.container.listBlobsByHierarchy(req.delimiter, { prefix: req.prefix, abortSignal }).byPage(page);
        const r: ListBlobsHierarchySegmentResponse | undefined = (await it.next()).value;
        return {
          objects: (r?.segment.blobItems ?? []).map((b) => meta(b.name, b.properties)),
          prefixes: (r?.segment.blobPrefixes ?? []).map((p) => p.name),
          next: r?.continuationToken || undefined,
        };
      }
      const r: ListBlobsFlatSegmentResponse | undefined = (await this.container.listBlobsFlat({ prefix: req.prefix, abortSignal }).byPage(page).next()).value;
      return { objects: (r?.segment.blobItems ?? []).map((b) => meta(b.name, b.properties)), prefixes: [], next: r?.continuationToken || undefined };
    });
  }

  async read(key: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<Readable> {
    const count = end === undefined ? undefined : end - start;
    const r = await this.call('download', signal, undefined, (abortSignal) => this.container.getBlobClient(key).download(start, count, { abortSignal }));
    return r.readableStreamBody as Readable;
  }

  /** Bodies that fit in one part go in one Put Blob; longer ones as parallel blocks. */
  async upload(req: UploadRequest): Promise<void> {
    const { head, rest } = await this.call('upload', req.signal, undefined, () => peekBody(req.body, this.s.partSize));
    const headers = req.contentType ? { blobContentType: req.contentType } : undefined;
    const blob = this.container.getBlockBlobClient(req.key);
    await this.call('upload', req.signal, undefined, (abortSignal) => rest
      ? blob.uploadStream(rest, this.s.partSize, this.s.concurrency, { abortSignal, blobHTTPHeaders: headers, tier: this.tier() })
      : blob.upload(head, head.length, { abortSignal, blobHTTPHeaders: headers, tier: this.tier() }));
  }

  async putEmpty(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<void> {
    await this.call('upload', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.container.getBlockBlobClient(key).upload('', 0, {
      abortSignal, blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined, tier: this.tier(),
    }));
  }

  /** Server-side copy (same account), polled until the copy exists (SFTPGo waits the same way). */
  async copy(from: string, to: string, signal?: AbortSignal): Promise<void> {
    await this.call('copy', signal, LONG_TIMEOUT_MS, async (abortSignal) => {
      const src = this.container.getBlobClient(from);
      const poller = await this.container.getBlobClient(to).beginCopyFromURL(src.url, { abortSignal, tier: this.tier(), intervalInMs: 200 });
      await raceSignal(poller.pollUntilDone(), abortSignal);
    });
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.call('delete', signal, SHORT_TIMEOUT_MS, (abortSignal) => this.container.getBlobClient(key).delete({ abortSignal }));
  }

  async close(): Promise<void> {}

  private tier(): BlockBlobTier | undefined {
    return this.s.accessTier ? (this.s.accessTier as BlockBlobTier) : undefined;
  }

  /** Runs one SDK call with the caller's signal (plus a deadline) and classified errors. */
  private async call<T>(what: string, signal: AbortSignal | undefined, deadline: number | undefined, fn: (s?: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await fn(deadline ? withDeadline(signal, deadline) : signal);
    } catch (err) {
      throw cloudError(err, (err as { statusCode?: number }).statusCode, what, signal);
    }
  }
}

function meta(key: string, p: { contentLength?: number; lastModified?: Date }): ObjectMeta {
  return { key, size: p.contentLength ?? 0, mtime: p.lastModified ?? new Date(0) };
}
