import { describe, expect, it } from 'vitest';
import { CrashReloads } from '../../electron/main/crash-reload';

describe('reloading the page after its process dies', () => {
  it('reloads after a crash, but not for ever: at most three within a minute', () => {
    const crashes = new CrashReloads(3, 60_000);
    expect([0, 1_000, 2_000].map((t) => crashes.shouldReload(t))).toEqual([true, true, true]);
    expect(crashes.shouldReload(3_000)).toBe(false);
    // A minute after the earlier ones, a crash is reloaded again.
    expect(crashes.shouldReload(64_000)).toBe(true);
  });
});
