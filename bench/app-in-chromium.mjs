// The built renderer in Debian's Chromium over the app's real services, as test/e2e/harness.ts runs
// it: the app's own request handler serves the page and media on a loopback port, and the preload's
// `redactor` API is bridged to AppServices with exposeBinding. Shared by the benches that measure the
// app (bench:responsive, bench:timeline).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
export const CHROMIUM = process.env.REDACTOR_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts the app. `dialogs.chooseVideos` / `dialogs.chooseExportPath` answer the app's file dialogs.
 * Returns the page (and its context and browser), the services, `call` (invoke a service method from
 * Node, throwing on an error reply) and `close`.
 */
export async function startAppInChromium({ proxyDir, dialogs, viewport = { width: 1440, height: 900 } }) {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`);
  const { AppServices } = await import(join(ROOT, 'dist', 'electron', 'services', 'app-services.js'));
  const { FileRegistry } = await import(join(ROOT, 'dist', 'electron', 'services', 'file-registry.js'));
  const { handleAppRequest } = await import(join(ROOT, 'dist', 'electron', 'services', 'app-server.js'));

  const files = new FileRegistry();
  let page = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const r = handleAppRequest(files, join(ROOT, 'dist', 'renderer'), { method: req.method ?? 'GET', pathname: url.pathname, range: req.headers.range });
    res.writeHead(r.status, r.headers);
    if (r.body) {
      r.body.pipe(res);
      res.on('close', () => r.body.destroy());
    } else res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Events reach the page in order, and a reply only after the events sent before it (as over IPC).
  let delivery = Promise.resolve();
  const services = new AppServices(files, {
    chooseVideos: dialogs.chooseVideos,
    chooseExportPath: dialogs.chooseExportPath,
    showInFolder: () => {},
    mediaUrl: (token) => `${origin}/media/${token}`,
    emit: (event) => {
      delivery = delivery.then(() => page?.evaluate((e) => globalThis.__redactorEmit(e), event).catch(() => {}));
    },
    proxyDir,
  });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ viewport });
  await context.exposeBinding('__redactorInvoke', async (_s, method, request) => {
    const reply = await services.invoke(method, request);
    await delivery;
    return reply;
  });
  await context.addInitScript(() => {
    const listeners = new Set();
    globalThis.__redactorEmit = (e) => listeners.forEach((l) => l(e));
    globalThis.redactor = {
      invoke: (method, request) => globalThis.__redactorInvoke(method, request),
      onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
  });
  page = await context.newPage();

  async function call(method, request) {
    const r = await services.invoke(method, request);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  }
  async function close() {
    await browser.close();
    server.close();
  }
  return { page, context, browser, services, origin, call, close };
}
