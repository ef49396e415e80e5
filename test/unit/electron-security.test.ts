import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { API_CHANNELS } from '../../common/api';
import { applySessionPolicy, CONTENT_SECURITY_POLICY, hardenWebContents, isAppUrl, isLocalUrl, webPreferences } from '../../electron/main/security';

/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security), checked against the
 * very settings main.ts applies, without launching Electron.
 */
const ROOT = join(__dirname, '..', '..');
const mainSource = readFileSync(join(ROOT, 'electron', 'main', 'main.ts'), 'utf8');

describe('window settings', () => {
  const prefs = webPreferences('/app/preload.js');
  it('isolate the page from Node and Electron', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    // A middle click must not open a link as a new window.
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });
  it('are the ones main.ts uses for its window', () => {
    expect(mainSource).toMatch(/webPreferences: webPreferences\(PRELOAD\)/);
    expect(mainSource).toMatch(/applySessionPolicy\(session\.defaultSession\)/);
    expect(mainSource).toMatch(/app\.on\('web-contents-created', \(_e, contents\) => hardenWebContents\(contents\)\)/);
    expect(mainSource).not.toMatch(/nodeIntegration|contextIsolation|sandbox:/);
  });
});

describe('content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  it('allows no remote origin, no inline script and no eval', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    for (const [name, sources] of directives) {
      for (const s of sources) {
        expect(["'self'", "'none'", 'data:', 'blob:'], `${name} ${s}`).toContain(s);
      }
    }
  });
});

describe('origins', () => {
  it('only the app itself counts as the app', () => {
    expect(isAppUrl('redactor://app/index.html')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1/', 'file:///etc/passwd', 'redactor://evil/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isLocalUrl('blob:redactor://app/1234')).toBe(true);
    expect(isLocalUrl('blob:https://example.com/1234')).toBe(false);
    expect(isLocalUrl('wss://example.com/')).toBe(false);
  });
});

describe('session policy', () => {
  function fakeSession() {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
      webRequest: { onBeforeRequest: (h: never) => (handlers.beforeRequest = h) },
    };
    applySessionPolicy(session as never);
    return handlers as Record<string, (...args: unknown[]) => unknown>;
  }

  it('denies every permission', () => {
    const h = fakeSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      h.request!(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(h.check!(null, permission)).toBe(false);
    }
    expect(h.device!({})).toBe(false);
  });

  it('cancels every request to anywhere but the app', () => {
    const h = fakeSession();
    const decide = (url: string) => {
      const callback = vi.fn();
      h.beforeRequest!({ url }, callback);
      return (callback.mock.calls[0]![0] as { cancel: boolean }).cancel;
    };
    expect(decide('redactor://app/assets/index.js')).toBe(false);
    expect(decide('redactor://app/media/0123')).toBe(false);
    expect(decide('https://example.com/tracker.js')).toBe(true);
    expect(decide('http://localhost:8080/')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });
});

describe('web contents', () => {
  it('block navigation away, new windows and webviews', () => {
    const listeners: Record<string, (event: { preventDefault(): void }, url?: string) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    hardenWebContents({
      on: (name: string, l: never) => (listeners[name] = l),
      setWindowOpenHandler: (h: never) => (openHandler = h),
    } as never);
    const prevented = (name: string, url?: string) => {
      const event = { preventDefault: vi.fn() };
      listeners[name]!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(prevented('will-navigate', 'https://example.com/')).toBe(true);
    expect(prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-navigate', 'redactor://app/index.html')).toBe(false);
    expect(prevented('will-redirect', 'https://example.com/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'redactor://app/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('preload', () => {
  const preload = readFileSync(join(ROOT, 'electron', 'preload', 'preload.ts'), 'utf8');
  it('uses the API channels of common/api.ts', () => {
    expect(preload).toContain(`'${API_CHANNELS.invoke}'`);
    expect(preload).toContain(`'${API_CHANNELS.event}'`);
    expect(preload).toContain(`'${API_CHANNELS.drop}'`);
  });
  it('loads nothing but electron at run time (a sandboxed preload cannot) and exposes one object', () => {
    const runtimeImports = [...preload.matchAll(/^import (?!type)[^'"]*from '([^']+)'/gm)].map((m) => m[1]);
    expect(runtimeImports).toEqual(['electron']);
    expect([...preload.matchAll(/exposeInMainWorld\(/g)]).toHaveLength(1);
    expect(preload).not.toMatch(/ipcRenderer\s*[,}]\s*\)/);
  });
});
