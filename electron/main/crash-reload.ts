/**
 * When the page's process dies (a crash, or killed for memory), the window would stay blank. It is
 * reloaded instead: the case is in IndexedDB, and jobs go on in main (a detection run is taken up by
 * the new page). A page that keeps dying is not reloaded for ever: after `limit` crashes within
 * `windowMs`, the user is told instead.
 */
export class CrashReloads {
  private readonly crashes: number[] = [];

  constructor(
    private readonly limit = 3,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a crash at `now` (ms); true if the page should be reloaded. */
  shouldReload(now: number): boolean {
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > this.windowMs) this.crashes.shift();
    return this.crashes.length <= this.limit;
  }
}
