#!/usr/bin/env node
'use strict';
// `npm start`: the desktop app needs an Electron binary, which cannot be downloaded on every machine.
// Say so in one line and point to the command line, which runs on the same engine.
let electron = null;
try {
  electron = require('electron'); // the package exports the binary's path when it is installed
} catch {
  electron = null;
}
if (typeof electron !== 'string' || !require('node:fs').existsSync(electron)) {
  process.stderr.write('Evidence Redactor: the desktop app is not available here (no Electron binary installed); use the command line instead: npx redactor --help\n');
  process.exit(1);
}
const { spawnSync } = require('node:child_process');
const result = spawnSync(electron, ['.'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
