import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { extname } from 'node:path';
import type { FileRegistry } from './file-registry';

/**
 * Serves opened media files by token with HTTP range requests (a <video> element seeks with them).
 * Shared by Electron's custom protocol and the end-to-end harness's loopback server, so both answer
 * exactly alike. Anything not registered is 404: the renderer cannot read arbitrary files.
 */
export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for errors and HEAD. */
  body?: Readable;
}

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
};

/** Parses one `bytes=` range against a size; null if unsatisfiable, undefined if absent or multi-range (whole file). */
export function parseRange(header: string | null | undefined, size: number): { start: number; end: number } | null | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return header.includes(',') ? undefined : null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return null;
  return { start, end };
}

/** `token` is the last path segment of the request URL. */
export function handleMediaRequest(registry: FileRegistry, req: { method: string; token: string; range?: string | null }): MediaResponse {
  const base = { 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { ...base, Allow: 'GET, HEAD' } };
  const path = /^[0-9a-f]{32}$/.test(req.token) ? registry.pathForToken(req.token) : undefined;
  if (!path) return { status: 404, headers: base };
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { status: 404, headers: base };
  }
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const range = parseRange(req.range, size);
  if (range === null) return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } };
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const headers: Record<string, string> = { ...base, 'Content-Type': type, 'Content-Length': String(size === 0 ? 0 : end - start + 1) };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (req.method === 'HEAD' || size === 0) return { status, headers };
  return { status, headers, body: createReadStream(path, { start, end, flags: 'r' }) };
}
