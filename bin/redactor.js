#!/usr/bin/env node
'use strict';
// Thin launcher: the command line is compiled TypeScript in dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('redactor: not built yet: run "npm run build" in the repository first\n');
  process.exit(1);
}
require(entry).main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
