/**
 * The small contract each object store (S3, GCS, Azure Blob) implements; `ObjectFs` builds the
 * whole Fs port on top of it (directory emulation, reorder buffer, ranged reads), so the three
 * backends differ only in how they talk to their service. Keys are full object keys (key prefix
 * included). Every call takes the caller's AbortSignal and throws SftpGoError kinds: a missing
 * object is NotFound (or `undefined` from `head`), anything else the driver's own classification.
 */
import type { Readable } from 'node:stream';

/** Content type of directory marker objects (SFTPGo writes the same). */
export const DIR_CONTENT_TYPE = 'application/x-directory';

/** Metadata of one object. */
export interface ObjectMeta {
  key: string;
  size: number;
  mtime: Date;
}

/** One page of a listing: objects, common prefixes (with a delimiter) and the next page token. */
export interface ObjectPage {
  objects: ObjectMeta[];
  /** Common prefixes, each ending with the delimiter. */
  prefixes: string[];
  /** Token of the next page; undefined on the last one. */
  next?: string;
}

/** A list request. */
export interface ListRequest {
  prefix: string;
  /** "/" groups sub-directories into `prefixes`; undefined lists every key under `prefix`. */
  delimiter?: '/';
  token?: string;
  /** Page size wanted (the service may return fewer). */
  max?: number;
  signal?: AbortSignal;
}

/** An upload: the body is a stream whose length is unknown until it ends. */
export interface UploadRequest {
  key: string;
  body: Readable;
  contentType?: string;
  /** Aborting discards the upload: nothing becomes visible (multipart parts are cleaned up). */
  signal: AbortSignal;
}

/** What an object store backend implements. */
export interface ObjectDriver {
  /** Backend name as registered ("s3", "gcs", "azblob"). */
  readonly name: string;
  /** Human description for logs, never shown to clients ("s3:bucket/prefix"). */
  readonly description: string;
  /** Characters the service would silently rewrite in a key: names holding one are refused. */
  readonly refusedChars?: { chars: string; why: string };
  /**
   * Whether the bucket (container) exists: SFTPGo asks the service (S3 HeadBucket, GCS bucket
   * attributes, Azure container properties) when the root of a store without key prefix is
   * stat'ed. Other failures throw.
   */
  headRoot(signal?: AbortSignal): Promise<boolean>;
  /** Metadata of `key`, or undefined when there is no such object. */
  head(key: string, signal?: AbortSignal): Promise<ObjectMeta | undefined>;
  /** One page of keys under a prefix. */
  list(req: ListRequest): Promise<ObjectPage>;
  /** Bytes [start, end) of an object (end undefined: to its end); only called for start < size. */
  read(key: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<Readable>;
  /** Streams a new object (replacing any object of that key) and resolves once it is visible. */
  upload(req: UploadRequest): Promise<void>;
  /** Writes a zero-byte object (directory markers, truncation to 0). */
  putEmpty(key: string, contentType: string | undefined, signal?: AbortSignal): Promise<void>;
  /** Server-side copy; resolves once the copy exists. */
  copy(from: string, to: string, signal?: AbortSignal): Promise<void>;
  /** Deletes one object. */
  delete(key: string, signal?: AbortSignal): Promise<void>;
  /** Releases sockets and agents. */
  close(): Promise<void>;
}
