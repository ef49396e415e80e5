import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Offline by construction: no module of the domain model, the engine or the command line can
 * reach the network. No networking module is imported and no network API is called. (The app's
 * own no-network test is the Electron helper's: issue 3/5.)
 */
const ROOT = resolve(__dirname, '..', '..');
const NETWORK_MODULES = /^(node:)?(http|https|http2|net|tls|dgram|dns|inspector)(\/.*)?$|^(undici|axios|node-fetch|ws|got)$/;
/**
 * The one exception: the export reads its decoder through a local socket pair (a Unix socket or a
 * Windows named pipe, addressed by a path), which needs `node:net` but never a host or a port.
 */
const LOCAL_SOCKET_FILE = 'engine/ffmpeg/stdout-reader.ts';
const NETWORK_CALLS = /\b(fetch|XMLHttpRequest|WebSocket|EventSource)\s*\(|new\s+(WebSocket|EventSource|XMLHttpRequest)\b|navigator\.sendBeacon/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

describe('offline by construction', () => {
  const sources = ['common', 'engine', 'cli'].flatMap((d) => files(join(ROOT, d)));

  it('finds the sources it checks', () => {
    expect(sources.length).toBeGreaterThan(40);
  });

  it('no networking module is imported and no network API is called in common/, engine/ or cli/', () => {
    const offenders: string[] = [];
    for (const file of sources) {
      // Type-only imports are erased at compile time: they cannot reach anything.
      const text = readFileSync(file, 'utf8').replace(/^import type [^;]+;$/gm, '');
      for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        if (NETWORK_MODULES.test(spec) && !(relative(ROOT, file) === LOCAL_SOCKET_FILE && /^node:net$/.test(spec))) offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
      // Comments may mention these words; code may not call them.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      if (NETWORK_CALLS.test(code)) offenders.push(`${relative(ROOT, file)} calls ${NETWORK_CALLS.exec(code)![0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the local socket pair is addressed by a path only: no host, no port', () => {
    const code = readFileSync(join(ROOT, LOCAL_SOCKET_FILE), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\b(host|port|localhost|127\.0\.0\.1|::1?)\b/);
    expect(code).toMatch(/server\.listen\(path\)/);
    expect(code).toMatch(/connect\(\{ path, /);
  });

  it('the checks themselves catch a network import and a fetch call', () => {
    expect(NETWORK_MODULES.test('node:https')).toBe(true);
    expect(NETWORK_MODULES.test('net')).toBe(true);
    expect(NETWORK_MODULES.test('node:fs')).toBe(false);
    expect(NETWORK_CALLS.test("await fetch('https://example.org')")).toBe(true);
    expect(NETWORK_CALLS.test('prefetch frames')).toBe(false);
  });
});
