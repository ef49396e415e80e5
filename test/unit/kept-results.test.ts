import { describe, expect, it } from 'vitest';
import { KeptResults } from '../../electron/services/kept-results';

/** A job the test settles by hand. */
function job<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('kept results of long jobs (a reloaded page takes up its detection run)', () => {
  it('waits for a running job and gives its result, to as many callers as ask', async () => {
    const kept = new KeptResults<string>();
    const j = job<string>();
    expect(kept.keep('a', j.promise)).toBe(j.promise);
    const early = kept.get('a');
    j.resolve('tracks');
    expect(await early).toBe('tracks');
    expect(await kept.get('a')).toBe('tracks');
  });

  it('gives a failed job’s error, and nothing for a job it never kept', async () => {
    const kept = new KeptResults<string>();
    const j = job<string>();
    kept.keep('a', j.promise).catch(() => {});
    j.reject(new Error('cancelled'));
    await expect(kept.get('a')).rejects.toThrow('cancelled');
    expect(await kept.get('never')).toBeUndefined();
  });

  it('a failure nobody asks about is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const kept = new KeptResults<string>();
      const j = job<string>();
      kept.keep('a', j.promise).catch(() => {}); // the caller handles its own copy
      j.reject(new Error('failed'));
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('keeps every running job but only the latest finished ones', async () => {
    const kept = new KeptResults<number>(2);
    const running = job<number>();
    kept.keep('running', running.promise);
    for (const id of ['f1', 'f2', 'f3']) kept.keep(id, Promise.resolve(Number(id.slice(1))));
    await tick();
    expect(await kept.get('f1')).toBeUndefined();
    expect(await kept.get('f2')).toBe(2);
    expect(await kept.get('f3')).toBe(3);
    running.resolve(7);
    expect(await kept.get('running')).toBe(7);
    await tick();
    expect(await kept.get('f2')).toBeUndefined();
  });

  it('a job id that is still running stays the first job’s; a finished one is reused by the next run', async () => {
    const kept = new KeptResults<string>();
    const first = job<string>();
    kept.keep('a', first.promise);
    kept.keep('a', Promise.reject(new Error('already running'))).catch(() => {});
    first.resolve('first');
    expect(await kept.get('a')).toBe('first');
    await tick();
    kept.keep('a', Promise.resolve('second'));
    expect(await kept.get('a')).toBe('second');
  });
});
