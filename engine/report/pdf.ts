import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancelledError, UserError } from '../errors';
import { log } from '../log';
import { resolveExecutable } from '../ffmpeg/resolve';

/**
 * PDF through Chromium's own print (`--headless --print-to-pdf`), found like ffmpeg: the setting,
 * REDACTOR_CHROMIUM, then PATH (chromium, chromium-browser, google-chrome). Chromium's background
 * networking is switched off and the page itself allows no remote resources.
 */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(options: { setting?: string; env?: NodeJS.ProcessEnv } = {}): string | null {
  const env = options.env ?? process.env;
  return resolveExecutable([options.setting, env.REDACTOR_CHROMIUM], NAMES, env);
}

export async function printPdf(htmlPath: string, pdfPath: string, options: { chromium?: string; signal?: AbortSignal } = {}): Promise<void> {
  const chromium = options.chromium ?? findChromium();
  if (!chromium) throw new UserError('tool', 'no Chromium found for PDF printing (install chromium, or set REDACTOR_CHROMIUM)');
  const profile = mkdtempSync(join(tmpdir(), 'redactor-chromium-'));
  const args = [
    '--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
    '--disable-default-apps', '--metrics-recording-only', `--user-data-dir=${profile}`,
    '--no-pdf-header-footer', `--print-to-pdf=${resolve(pdfPath)}`, pathToFileURL(resolve(htmlPath)).href,
  ];
  log.info(`chromium ${args.join(' ')}`);
  try {
    // Settled on 'close' only (Node emits it after 'error' too): the profile is removed once Chromium
    // has stopped writing to it, also when the printing is cancelled.
    await new Promise<void>((done, fail) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'], signal: options.signal });
      let stderr = '';
      let startError: Error | null = null;
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      child.on('error', (err) => (startError = err));
      child.on('close', (code) => {
        if (options.signal?.aborted) fail(new CancelledError('printing'));
        else if (startError) fail(new UserError('tool', `Chromium could not be started: ${startError.message}`));
        else if (code === 0) done();
        else fail(new UserError('tool', `Chromium failed to print (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
      });
    });
    if (statSync(pdfPath).size === 0) throw new UserError('tool', 'Chromium printed an empty PDF');
  } finally {
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}
