'use strict';
// Where the Electron binary is, or null. Never `require('electron')` for this: in plain Node that
// tries to download the binary. Read the path the electron package's installer records instead.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
    const bin = join(pkg, 'dist', rel);
    return rel && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

module.exports = { electronBinary };
