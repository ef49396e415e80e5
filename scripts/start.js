#!/usr/bin/env node
'use strict';
// `npm start`: the desktop app needs an Electron binary, which cannot be downloaded on every machine.
// Never `require('electron')` here: in plain Node that tries to download the binary. Read the path the
// electron package's installer records instead, and say so in one line when there is none.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
    const bin = join(pkg, 'dist', rel);
    return rel && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
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
