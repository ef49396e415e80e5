/**
 * Virtualised track lanes: lanes have one fixed height, so which lanes a vertical scroll offset shows
 * is arithmetic, and only those (plus a few for overscan) are rendered; 300 lanes cost as much as 10.
 */

export interface LaneWindow {
  /** First and last lane index to render, inclusive; last < first when there are none. */
  readonly first: number;
  readonly last: number;
  /** Viewport y of lane `first`'s top. */
  readonly offsetY: number;
  /** Height of all lanes: the scrollable content. */
  readonly totalHeight: number;
}

export interface LaneViewport {
  laneCount: number;
  laneHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Extra lanes rendered above and below, so fast scrolling shows no gaps. */
  overscan?: number;
}

export function clampScrollTop(scrollTop: number, laneCount: number, laneHeight: number, viewportHeight: number): number {
  const max = Math.max(0, laneCount * laneHeight - viewportHeight);
  return Number.isFinite(scrollTop) ? Math.min(max, Math.max(0, scrollTop)) : 0;
}

export function visibleLanes(v: LaneViewport): LaneWindow {
  const totalHeight = v.laneCount * v.laneHeight;
  const overscan = v.overscan ?? 2;
  if (v.laneCount <= 0 || v.laneHeight <= 0 || v.viewportHeight <= 0) return { first: 0, last: -1, offsetY: 0, totalHeight: Math.max(0, totalHeight) };
  const top = clampScrollTop(v.scrollTop, v.laneCount, v.laneHeight, v.viewportHeight);
  const firstVisible = Math.floor(top / v.laneHeight);
  const lastVisible = Math.min(v.laneCount - 1, Math.ceil((top + v.viewportHeight) / v.laneHeight) - 1);
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(v.laneCount - 1, lastVisible + overscan);
  return { first, last, offsetY: first * v.laneHeight - top, totalHeight };
}

/** The lane under viewport y, or null below the last lane. */
export function laneAtY(y: number, v: Omit<LaneViewport, 'overscan'>): number | null {
  const top = clampScrollTop(v.scrollTop, v.laneCount, v.laneHeight, v.viewportHeight);
  const i = Math.floor((y + top) / v.laneHeight);
  return i >= 0 && i < v.laneCount ? i : null;
}

/** The scrollTop that brings lane `index` fully into view with the least movement. */
export function scrollTopToShow(index: number, v: Omit<LaneViewport, 'overscan'>): number {
  const top = index * v.laneHeight;
  const bottom = top + v.laneHeight;
  let s = v.scrollTop;
  if (top < s) s = top;
  else if (bottom > s + v.viewportHeight) s = bottom - v.viewportHeight;
  return clampScrollTop(s, v.laneCount, v.laneHeight, v.viewportHeight);
}
