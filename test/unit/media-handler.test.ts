import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { handleAppRequest } from '../../electron/services/app-server';
import { FileRegistry } from '../../electron/services/file-registry';
import { handleMediaRequest, parseRange } from '../../electron/services/media-handler';

const dir = mkdtempSync(join(tmpdir(), 'redactor-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const opened = join(dir, 'clip.mp4');
const secret = join(dir, 'secret.mp4');
writeFileSync(opened, bytes);
writeFileSync(secret, 'not opened');
const registry = new FileRegistry();
const token = registry.add(opened, 'input');

async function read(body: Readable | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body ?? []) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('parseRange', () => {
  it('reads the forms a video element sends', () => {
    expect(parseRange('bytes=0-', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=100-199', 1000)).toEqual({ start: 100, end: 199 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange(undefined, 1000)).toBeUndefined();
  });
  it('refuses what cannot be satisfied', () => {
    expect(parseRange('bytes=1000-', 1000)).toBeNull();
    expect(parseRange('bytes=200-100', 1000)).toBeNull();
    expect(parseRange('bytes=-0', 1000)).toBeNull();
    expect(parseRange('bytes=-', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
    expect(parseRange('bytes=99999999999999999999-', 1000)).toBeNull();
  });
});

describe('media handler', () => {
  it('serves a whole opened file', async () => {
    const r = handleMediaRequest(registry, { method: 'GET', token });
    expect(r.status).toBe(200);
    expect(r.headers['Content-Length']).toBe('1000');
    expect(r.headers['Content-Type']).toBe('video/mp4');
    expect(r.headers['Accept-Ranges']).toBe('bytes');
    expect((await read(r.body)).equals(bytes)).toBe(true);
  });

  it('serves exactly the requested range', async () => {
    const r = handleMediaRequest(registry, { method: 'GET', token, range: 'bytes=100-355' });
    expect(r.status).toBe(206);
    expect(r.headers['Content-Range']).toBe('bytes 100-355/1000');
    expect(r.headers['Content-Length']).toBe('256');
    expect((await read(r.body)).equals(bytes.subarray(100, 356))).toBe(true);
  });

  it('answers 416 for an unsatisfiable range and 405 for writes', () => {
    const r = handleMediaRequest(registry, { method: 'GET', token, range: 'bytes=5000-' });
    expect(r.status).toBe(416);
    expect(r.headers['Content-Range']).toBe('bytes */1000');
    expect(handleMediaRequest(registry, { method: 'PUT', token }).status).toBe(405);
  });

  it('serves nothing that was not opened: unknown tokens, guessed tokens, paths', () => {
    expect(handleMediaRequest(registry, { method: 'GET', token: 'f'.repeat(32) }).status).toBe(404);
    expect(handleMediaRequest(registry, { method: 'GET', token: secret }).status).toBe(404);
    expect(handleMediaRequest(registry, { method: 'GET', token: '..%2Fsecret.mp4' }).status).toBe(404);
  });
});

describe('app server', () => {
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');

  it('serves the renderer with the CSP, and media under /media/', async () => {
    const index = handleAppRequest(registry, rendererDir, { method: 'GET', pathname: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['Content-Security-Policy']).toMatch(/default-src 'none'/);
    expect((await read(index.body)).toString()).toBe('<!doctype html>');
    const script = handleAppRequest(registry, rendererDir, { method: 'GET', pathname: '/assets/app.js' });
    expect(script.headers['Content-Type']).toMatch(/javascript/);
    expect((await read(script.body)).toString()).toBe('console.log(1)');
    const media = handleAppRequest(registry, rendererDir, { method: 'GET', pathname: `/media/${token}`, range: 'bytes=0-9' });
    expect(media.status).toBe(206);
    expect((await read(media.body)).equals(bytes.subarray(0, 10))).toBe(true);
  });

  it('does not escape the renderer folder', () => {
    for (const pathname of ['/../secret.mp4', '/%2e%2e/secret.mp4', '/assets/../../secret.mp4', '/%00', '/%E0%A4%A']) {
      expect(handleAppRequest(registry, rendererDir, { method: 'GET', pathname }).status, pathname).toBeGreaterThanOrEqual(400);
    }
  });
});
