import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiEvent } from '../../common/api';
import { AppServices, type ServiceHost } from '../../electron/services/app-services';
import { handleAppRequest } from '../../electron/services/app-server';
import { FileRegistry } from '../../electron/services/file-registry';

/**
 * The end-to-end harness: the built renderer in Debian's Chromium, with the preload's bridge swapped
 * for Playwright bindings to the real services in this process (real ffmpeg, model, IndexedDB). The
 * page and its media are served by the app's own request handler on a loopback port.
 */
export const ROOT = join(__dirname, '..', '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
export const CHROMIUM = process.env.REDACTOR_CHROMIUM ?? '/usr/bin/chromium';

export interface Harness {
  origin: string;
  page: Page;
  context: BrowserContext;
  services: AppServices;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** What the next open dialog returns. */
  nextOpen: string[];
  /** What the next save dialog returns. */
  nextSave: string | null;
  shownInFolder: string[];
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function startHarness(options: { proxyDir: string; provisional?: ServiceHost['provisional'] }): Promise<Harness> {
  const files = new FileRegistry();
  let page: Page | null = null;
  // Events are delivered in order: each waits for the previous one to reach the page.
  let delivery = Promise.resolve();
  const harness = { nextOpen: [] as string[], nextSave: null as string | null, shownInFolder: [] as string[], requests: [] as string[] };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const r = handleAppRequest(files, RENDERER_DIR, { method: req.method ?? 'GET', pathname: url.pathname, range: req.headers.range });
    res.writeHead(r.status, r.headers);
    if (r.body) {
      r.body.pipe(res);
      res.on('close', () => r.body!.destroy());
    } else res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const services = new AppServices(files, {
    chooseVideos: async () => harness.nextOpen.splice(0),
    chooseExportPath: async () => {
      const p = harness.nextSave;
      harness.nextSave = null;
      return p;
    },
    showInFolder: (path) => harness.shownInFolder.push(path),
    mediaUrl: (token) => `${origin}/media/${token}`,
    emit: (event: ApiEvent) => {
      delivery = delivery.then(() => page?.evaluate((e) => (globalThis as unknown as { __redactorEmit(e: unknown): void }).__redactorEmit(e), event).catch(() => {}));
    },
    proxyDir: options.proxyDir,
    provisional: options.provisional,
  });

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.on('request', (r) => harness.requests.push(r.url()));
  // The transport of the preload, and nothing more: invoke and an event stream.
  await context.exposeBinding('__redactorInvoke', (_source, method: unknown, request: unknown) => services.invoke(method, request));
  await context.addInitScript(() => {
    const listeners = new Set<(e: unknown) => void>();
    const w = globalThis as unknown as Record<string, unknown>;
    w.__redactorEmit = (e: unknown) => listeners.forEach((l) => l(e));
    w.redactor = {
      invoke: (method: string, request: unknown) => (w.__redactorInvoke as (m: string, r: unknown) => Promise<unknown>)(method, request),
      onEvent: (l: (e: unknown) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
  });
  page = await context.newPage();

  return Object.assign(harness, {
    origin,
    page,
    context,
    services,
    close: async () => {
      services.jobs.cancelAll();
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Creates a case from the case list, imports `clip` through the open dialog, and waits for the player. */
export async function createCaseWithClip(h: Harness, caseName: string, clip: string): Promise<void> {
  await h.page.getByTestId('new-case-name').fill(caseName);
  await h.page.getByTestId('create-case').click();
  h.nextOpen = [clip];
  await h.page.getByTestId('import').click();
  await h.page.getByTestId('video').waitFor();
}

/** Requests that left for anywhere but the page's own loopback origin. */
export function remoteRequests(requests: string[], origin: string): string[] {
  return requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith(`blob:${origin}/`)));
}
