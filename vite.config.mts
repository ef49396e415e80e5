import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built into dist/renderer (ignored by git) and served by the app's own protocol
// (Electron) or the end-to-end harness, both from the same origin as media. Relative asset paths
// make the build independent of that origin.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome128',
    // No inline assets: the CSP allows scripts and styles only from the app's own origin.
    assetsInlineLimit: 0,
    // One bundle of the app, zod and React; loaded from disk, so its size does not matter much.
    chunkSizeWarningLimit: 1500,
  },
});
