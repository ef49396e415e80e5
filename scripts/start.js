#!/usr/bin/env node
'use strict';
// `npm start`: the desktop app needs an Electron binary, which cannot be downloaded on every machine;
// say so in one line when there is none.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { electronBinary } = require('./electron-binary');

const root = join(__dirname, '..');
const electron = electronBinary(root);
if (!electron) {
  process.stderr.write('Evidence Redactor: the desktop app is not available here (no Electron binary installed); use the command line instead: npx redactor --help\n');
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'electron', 'main', 'main.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  process.stderr.write('Evidence Redactor: the app is not built yet; run "npm run build" first.\n');
  process.exit(1);
}
const result = spawnSync(electron, [root], { stdio: 'inherit' });
process.exit(result.status ?? 1);
