#!/usr/bin/env node
// `npm run lint:electron`: Electron security linter (Doyensec's electronegativity) over the app's
// main, preload and renderer code. Fails on any finding of MEDIUM severity or above, except the
// documented blind spots below. The linter tries to fetch translations and Electron's release list;
// offline both fail and it carries on with the Electron version given here.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const ELECTRON_VERSION = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/**
 * Checks the linter cannot evaluate here, and what covers them instead. The window's webPreferences
 * come from `electron/main/security.ts` as data (so a unit test can read them without Electron); the
 * linter only reads object literals written inside `new BrowserWindow(...)`, so it reports these on
 * main.ts whatever the values. test/unit/electron-security.test.ts checks each value.
 */
const BLIND_SPOTS = {
  CONTEXT_ISOLATION_JS_CHECK: 'contextIsolation: true, checked by electron-security.test.ts',
  SANDBOX_JS_CHECK: 'sandbox: true, checked by electron-security.test.ts',
  AUXCLICK_JS_CHECK: "disableBlinkFeatures: 'Auxclick', checked by electron-security.test.ts",
};
const FAILING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

// Stage only the app's own code: the linter would otherwise walk node_modules and dist.
const stage = mkdtempSync(join(tmpdir(), 'redactor-lint-'));
try {
  for (const dir of ['electron', 'renderer']) cpSync(join(ROOT, dir), join(stage, dir), { recursive: true });
  const csv = join(stage, 'findings.csv');
  const bin = join(ROOT, 'node_modules', '.bin', 'electronegativity');
  const run = spawnSync(bin, ['-i', stage, '-e', ELECTRON_VERSION, '-r', '-o', csv], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`electronegativity failed (${run.status ?? run.signal}): ${run.stderr}`);
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  const findings = rows.map((line) => {
    const [issue, severity, confidence, file, location] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { issue, severity, confidence, file, location };
  });
  const failing = findings.filter((f) => FAILING.has(f.severity) && !(f.issue in BLIND_SPOTS));
  for (const f of findings) {
    const note = f.issue in BLIND_SPOTS ? `  (blind spot: ${BLIND_SPOTS[f.issue]})` : FAILING.has(f.severity) ? '  FAIL' : '';
    console.log(`${f.severity.padEnd(8)} ${f.issue} ${f.file}:${f.location}${note}`);
  }
  console.log(`electronegativity ${findings.length} finding(s), ${failing.length} failing (Electron ${ELECTRON_VERSION})`);
  process.exitCode = failing.length ? 1 : 0;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
