import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ApiEvent } from '../../common/api';
import { AppServices, type ServiceHost } from '../../electron/services/app-services';
import { handleAppRequest } from '../../electron/services/app-server';
import { FileRegistry } from '../../electron/services/file-registry';
import { lanes } from './pointer';

/**
 * The end-to-end harness: the built renderer in Debian's Chromium, with the preload's bridge swapped
 * for Playwright bindings to the real services in this process (real ffmpeg, model, IndexedDB). The
 * page and its media are served by the app's own request handler on a loopback port.
 */
export const ROOT = repositoryRoot(__dirname);
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
export const CHROMIUM = process.env.REDACTOR_CHROMIUM ?? '/usr/bin/chromium';

export interface Harness {
  origin: string;
  page: Page;
  context: BrowserContext;
  services: AppServices;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Every uncaught error in the page since it opened. */
  pageErrors: string[];
  /** What the next open dialog returns (the video dialog takes all, the case file dialog the first). */
  nextOpen: string[];
  /** What the next save dialog returns. */
  nextSave: string | null;
  shownInFolder: string[];
  /** The loopback port: a relaunch on the same profile must reuse it, as IndexedDB is kept per origin. */
  port: number;
  /** The browser's process id (its main process), for tests that kill it outright. */
  browserPid: number | null;
  close(): Promise<void>;
}

export interface HarnessOptions {
  dataDir: string;
  provisional?: ServiceHost['provisional'];
  /** A profile folder: Chromium keeps IndexedDB there on disk (launchPersistentContext), as Electron does in userData. */
  userDataDir?: string;
  /** Where the services keep the files the user opened (Electron: userData/opened-files.json). */
  filesStore?: string;
  /** Listen on this port (a relaunch of a persistent profile); default any free port. */
  port?: number;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];

/** The folder holding package.json above `dir`: the harness runs from test/e2e under Vitest and from dist/test/e2e for the benches. */
function repositoryRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`no package.json above ${dir}`);
  }
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  if (!chromiumAvailable()) throw new Error(`no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`);
  const files = new FileRegistry(options.filesStore);
  let page: Page | null = null;
  // Events are delivered in order: each waits for the previous one to reach the page.
  let delivery = Promise.resolve();
  const harness = { nextOpen: [] as string[], nextSave: null as string | null, shownInFolder: [] as string[], requests: [] as string[], pageErrors: [] as string[] };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const r = handleAppRequest(files, RENDERER_DIR, { method: req.method ?? 'GET', pathname: url.pathname, range: req.headers.range });
    res.writeHead(r.status, r.headers);
    if (r.body) {
      r.body.pipe(res);
      res.on('close', () => r.body!.destroy());
    } else res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const services = new AppServices(files, {
    chooseVideos: async () => harness.nextOpen.splice(0),
    chooseCaseFile: async () => harness.nextOpen.splice(0)[0] ?? null,
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
    dataDir: options.dataDir,
    provisional: options.provisional,
  });

  let context: BrowserContext;
  let browserPid: number | null = null;
  let closeBrowser: () => Promise<void>;
  if (options.userDataDir) {
    // Chromium's own process is the one to kill: launchPersistentContext starts it with the profile folder.
    context = await chromium.launchPersistentContext(options.userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
    browserPid = chromiumPid(options.userDataDir);
    closeBrowser = () => context.close();
  } else {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    closeBrowser = () => browser.close();
  }
  context.on('request', (r) => harness.requests.push(r.url()));
  // The transport of the preload, and nothing more: invoke and an event stream.
  // Electron's IPC keeps events and replies in order on one channel: a reply waits here for the events sent before it.
  await context.exposeBinding('__redactorInvoke', async (_source, method: unknown, request: unknown) => {
    const reply = await services.invoke(method, request);
    await delivery;
    return reply;
  });
  // A drop reaches the services as main.ts sends it: paths on the drop channel, registered like dialog choices.
  await context.exposeBinding('__redactorDrop', (_source, paths: unknown) => services.registerDropped(paths));
  await context.addInitScript(() => {
    const listeners = new Set<(e: unknown) => void>();
    const w = globalThis as unknown as Record<string, unknown>;
    // Stands in for Chromium's File → disk path, which Electron's webUtils.getPathForFile reads: only
    // Files that dropFiles() below hands over "from the desktop" have one; a File made by the page has none.
    const diskPaths = new WeakMap<File, string>();
    w.__harnessDesktopFile = (file: File, path: string) => diskPaths.set(file, path);
    w.__redactorEmit = (e: unknown) => listeners.forEach((l) => l(e));
    w.redactor = {
      invoke: (method: string, request: unknown) => (w.__redactorInvoke as (m: string, r: unknown) => Promise<unknown>)(method, request),
      onEvent: (l: (e: unknown) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      // As electron/preload/preload.ts: File → path, files without one left out, the rest sent on.
      dropFiles: (dropped: File[]) => {
        const paths = Array.from(dropped, (f) => diskPaths.get(f) ?? '').filter((p) => p);
        if (paths.length) void (w.__redactorDrop as (p: string[]) => Promise<void>)(paths);
      },
    };
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => harness.pageErrors.push(String(e)));

  return Object.assign(harness, {
    origin,
    port,
    browserPid,
    page,
    context,
    services,
    close: async () => {
      services.jobs.cancelAll();
      await closeBrowser().catch(() => {}); // already gone if the test killed it
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The pid of the Chromium main process using `userDataDir` (its command line names the profile; child processes carry --type=). */
function chromiumPid(userDataDir: string): number | null {
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string[];
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (cmdline.includes(`--user-data-dir=${userDataDir}`) && !cmdline.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  return null;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Drops files from "the desktop" onto the element `selector` finds: a trusted-looking drop with a
 * DataTransfer carrying real Files (name, type, bytes and time of the files on disk), each of which
 * the bridge resolves back to its path as the preload does with webUtils.getPathForFile.
 */
export async function dropFiles(h: Harness, selector: string, paths: string[]): Promise<void> {
  const files = paths.map((p) => ({ path: p, name: basename(p), lastModified: statSync(p).mtimeMs, base64: readFileSync(p).toString('base64') }));
  const dataTransfer = await h.page.evaluateHandle((list) => {
    // (The page's globals, typed here: this file compiles without the DOM library.)
    const w = globalThis as unknown as { __harnessDesktopFile(f: File, p: string): void; DataTransfer: new () => { items: { add(f: File): void } } };
    const dt = new w.DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const type = /\.(mp4|m4v|mov)$/i.test(f.name) ? 'video/mp4' : /\.txt$/i.test(f.name) ? 'text/plain' : '';
      const file = new File([bytes], f.name, { type, lastModified: f.lastModified });
      w.__harnessDesktopFile(file, f.path);
      dt.items.add(file);
    }
    return dt;
  }, files);
  const target = h.page.locator(selector);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  await dataTransfer.dispose();
}

/** Waits for the app to show the case list or a case (it reopens the last case and clip it showed). */
async function appShown(page: Page): Promise<'list' | 'case'> {
  const list = page.getByTestId('new-case-name');
  const kase = page.getByTestId('case-name');
  await list.or(kase).first().waitFor();
  return (await list.isVisible()) ? 'list' : 'case';
}

/** The case list, from wherever the app opened: back from the case it reopened, if it did. */
export async function showCaseList(page: Page): Promise<void> {
  if ((await appShown(page)) === 'case') await page.getByTestId('back-to-cases').click();
  await page.getByTestId('new-case-name').waitFor();
}

/** Case `name` open, from wherever the app opened (it may have reopened that case itself). */
export async function openCase(page: Page, name: string): Promise<void> {
  if ((await appShown(page)) === 'case' && (await page.getByTestId('case-name').textContent()) === name) return;
  await showCaseList(page);
  await page.getByTestId('open-case').filter({ hasText: name }).click();
  await page.getByTestId('case-name').filter({ hasText: name }).waitFor();
}

/** Creates a case from the case list, imports `clip` through the open dialog, and waits for the player. */
export async function createCaseWithClip(h: Harness, caseName: string, clip: string): Promise<void> {
  await showCaseList(h.page);
  await h.page.getByTestId('new-case-name').fill(caseName);
  await h.page.getByTestId('create-case').click();
  h.nextOpen = [clip];
  await h.page.getByTestId('import').click();
  await h.page.getByTestId('video').waitFor();
}

/**
 * Clicks Detect on the open clip and waits until the run has ended with at least one lane on the
 * timeline; returns how many lanes there are then.
 */
export async function detectAndWait(page: Page, timeout = 120_000): Promise<number> {
  await page.getByTestId('detect').click();
  await pollUntil(async () => (await lanes(page)) >= 1, 'a detected lane', timeout);
  await pollUntil(async () => (await page.getByTestId('job-detect').count()) === 0, 'detection to end', timeout);
  return lanes(page);
}

/**
 * Polls `check` from the test until it holds; throws naming `what` after `timeout` ms. Usable in hooks,
 * where expect.poll is not; and polled from here because a predicate polled inside the page would be
 * evaluated as a string, which the app's CSP forbids.
 */
export async function pollUntil(check: () => Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the page's video can show its current frame (readyState ≥ 2). */
export async function videoReady(page: Page, timeout = 30_000): Promise<void> {
  type Doc = { document: { querySelector(s: string): { readyState: number } | null } };
  const ready = async () => (await page.evaluate(() => (globalThis as unknown as Doc).document.querySelector('video')?.readyState ?? 0)) >= 2;
  await pollUntil(ready, 'the video to be ready', timeout);
}

/** Requests that left for anywhere but the page's own loopback origin. */
export function remoteRequests(requests: string[], origin: string): string[] {
  return requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith(`blob:${origin}/`)));
}

/** The app's IndexedDB as it is stored (read raw, not through the app): rows of the tables named. */
export async function readStore(page: Page, tables: string[]): Promise<Record<string, unknown[]>> {
  return page.evaluate(
    ({ name, tables }) =>
      new Promise<Record<string, unknown[]>>((resolve, reject) => {
        type Request<T> = { result: T; error: unknown; onsuccess: (() => void) | null; onerror: (() => void) | null };
        type Db = { close(): void; transaction(t: string[], mode: string): { objectStore(t: string): { getAll(): Request<unknown[]> }; error: unknown; oncomplete: (() => void) | null; onerror: (() => void) | null } };
        const open = (globalThis as unknown as { indexedDB: { open(n: string): Request<Db> } }).indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(tables, 'readonly');
          const out: Record<string, unknown[]> = {};
          for (const t of tables) {
            const req = tx.objectStore(t).getAll();
            req.onsuccess = () => (out[t] = req.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: 'evidence-redactor', tables },
  );
}
