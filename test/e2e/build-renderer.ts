import { join } from 'node:path';

/** Builds the renderer with Vite into dist/renderer (run once per test run, from the global setup). */
export async function buildRenderer(root: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.mts'), root: join(root, 'renderer'), logLevel: 'warn' });
}
