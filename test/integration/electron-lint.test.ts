import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 5: an Electron security linter in CI. `scripts/lint-electron.mjs` runs Doyensec's
 * electronegativity over electron/ and renderer/ and fails on any MEDIUM-or-worse finding other than
 * the documented blind spots (settings it cannot follow into electron/main/security.ts, which
 * test/unit/electron-security.test.ts checks instead).
 */
const ROOT = join(__dirname, '..', '..');

describe('Electron security linter', () => {
  it('finds nothing failing in the app', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'lint-electron.mjs')], { encoding: 'utf8', timeout: 300_000 });
    expect(run.stdout).toMatch(/electronegativity \d+ finding\(s\), 0 failing/);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 300_000);
});
