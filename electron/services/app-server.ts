import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FileRegistry } from './file-registry';
import { handleMediaRequest, type MediaResponse } from './media-handler';

/**
 * The app's one origin: the built renderer at `/`, opened media at `/media/<token>`. Electron's
 * `redactor://app/` protocol and the harness's loopback HTTP server both answer through this, so the
 * end-to-end tests exercise the same code as the app.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function handleAppRequest(
  registry: FileRegistry,
  rendererDir: string,
  req: { method: string; pathname: string; range?: string | null },
): MediaResponse {
  const media = /^\/media\/([^/]+)$/.exec(req.pathname);
  if (media) return handleMediaRequest(registry, { method: req.method, token: media[1]!, range: req.range });
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers };
  let rel: string;
  try {
    rel = decodeURIComponent(req.pathname === '/' ? '/index.html' : req.pathname);
  } catch {
    return { status: 400, headers };
  }
  const file = normalize(join(rendererDir, rel));
  if (!file.startsWith(normalize(rendererDir) + sep) || rel.includes('\0')) return { status: 404, headers };
  try {
    if (!statSync(file).isFile()) return { status: 404, headers };
  } catch {
    return { status: 404, headers };
  }
  const type = STATIC_TYPES[extname(file)] ?? 'application/octet-stream';
  return { status: 200, headers: { ...headers, 'Content-Type': type }, body: req.method === 'HEAD' ? undefined : createReadStream(file) };
}
