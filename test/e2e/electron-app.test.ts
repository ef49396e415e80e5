import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary';
import { ROOT } from './harness';

/**
 * Launches the real Electron app where an Electron binary is installed. The binary cannot be
 * downloaded on every machine, so it is found by the same `electronBinary` as `npm start` (never by
 * `require('electron')`, which would try to download it), and the test skips where it is absent.
 */
const binary = electronBinary(ROOT);

describe('the Electron app', () => {
  it.skipIf(!binary)(binary ? 'starts with the locked-down window and exposes only the bridge' : 'skipped: no Electron binary installed (node_modules/electron/path.txt + dist/), so the app cannot be launched here', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath: binary!, args: [ROOT], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('redactor://app/index.html');
      expect(await page.title()).toBe('Evidence Redactor');
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((globalThis as unknown as { redactor: object }).redactor).sort(),
        node: typeof (globalThis as { process?: unknown }).process,
        require: typeof (globalThis as { require?: unknown }).require,
      }));
      expect(exposed).toEqual({ keys: ['dropFiles', 'invoke', 'onEvent'], node: 'undefined', require: 'undefined' });
      // The window's real settings, as the main process created it.
      const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      expect(windows).toBe(1);
      const opened = await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('https://example.com/') === null);
      expect(opened).toBe(true);
      const refused = await page.evaluate(() => (globalThis as unknown as { redactor: { invoke(m: string, r: unknown): Promise<unknown> } }).redactor.invoke('verify', { path: '/etc/passwd' }));
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });
    } finally {
      await app.close();
    }
  });
});
