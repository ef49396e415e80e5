/**
 * The timeline's mapping between frames and pixels. Frame f occupies [f·pxPerFrame, (f+1)·pxPerFrame)
 * in content pixels; the viewport shows content from `scrollPx`. Zoom is clamped between "the whole
 * clip fits" and MAX_PX_PER_FRAME, scroll between 0 and the end, so the view is always valid.
 */

export const MAX_PX_PER_FRAME = 48;

export interface TimelineView {
  readonly frameCount: number;
  /** Viewport width in CSS pixels. */
  readonly widthPx: number;
  readonly pxPerFrame: number;
  /** Content pixels scrolled off to the left. */
  readonly scrollPx: number;
}

/** The zoom at which the whole clip fits the viewport. */
export function fitPxPerFrame(frameCount: number, widthPx: number): number {
  return Math.min(MAX_PX_PER_FRAME, Math.max(widthPx, 1) / Math.max(frameCount, 1));
}

export function clampZoom(pxPerFrame: number, frameCount: number, widthPx: number): number {
  const min = fitPxPerFrame(frameCount, widthPx);
  if (!Number.isFinite(pxPerFrame)) return min;
  return Math.min(MAX_PX_PER_FRAME, Math.max(min, pxPerFrame));
}

export function contentWidth(view: Pick<TimelineView, 'frameCount' | 'pxPerFrame'>): number {
  return view.frameCount * view.pxPerFrame;
}

export function maxScroll(view: Omit<TimelineView, 'scrollPx'>): number {
  return Math.max(0, contentWidth(view) - view.widthPx);
}

/** A view with zoom and scroll clamped into range. */
export function makeView(frameCount: number, widthPx: number, pxPerFrame: number, scrollPx = 0): TimelineView {
  const ppf = clampZoom(pxPerFrame, frameCount, widthPx);
  const base = { frameCount, widthPx, pxPerFrame: ppf };
  const scroll = Number.isFinite(scrollPx) ? Math.min(maxScroll(base), Math.max(0, scrollPx)) : 0;
  return { ...base, scrollPx: scroll };
}

export function withScroll(view: TimelineView, scrollPx: number): TimelineView {
  return makeView(view.frameCount, view.widthPx, view.pxPerFrame, scrollPx);
}

/** Viewport x of the left edge of frame `frame` (may be outside the viewport). */
export function frameToPx(view: TimelineView, frame: number): number {
  return frame * view.pxPerFrame - view.scrollPx;
}

/** Viewport x of the middle of frame `frame`: where the playhead is drawn. */
export function frameCenterPx(view: TimelineView, frame: number): number {
  return (frame + 0.5) * view.pxPerFrame - view.scrollPx;
}

/** The frame under viewport x, clamped to the clip. */
export function pxToFrame(view: TimelineView, px: number): number {
  // The epsilon absorbs rounding in frame·pxPerFrame/pxPerFrame so a frame's own left edge maps back to it.
  const f = Math.floor((px + view.scrollPx) / view.pxPerFrame + 1e-9);
  return Math.min(Math.max(view.frameCount - 1, 0), Math.max(0, f));
}

/** Frames at least partly visible, inclusive; null for an empty clip. */
export function visibleFrameRange(view: TimelineView): { first: number; last: number } | null {
  if (view.frameCount <= 0) return null;
  const first = Math.max(0, Math.floor(view.scrollPx / view.pxPerFrame + 1e-9));
  const last = Math.min(view.frameCount - 1, Math.ceil((view.scrollPx + view.widthPx) / view.pxPerFrame - 1e-9) - 1);
  return { first: Math.min(first, view.frameCount - 1), last: Math.max(first, last) };
}

/** Zoom by `factor`, keeping the content under viewport x `anchorPx` (the pointer) where it is. */
export function zoomAt(view: TimelineView, factor: number, anchorPx: number): TimelineView {
  const ppf = clampZoom(view.pxPerFrame * factor, view.frameCount, view.widthPx);
  const anchorFrame = (anchorPx + view.scrollPx) / view.pxPerFrame;
  return makeView(view.frameCount, view.widthPx, ppf, anchorFrame * ppf - anchorPx);
}

/** The least scroll change that brings `frame` fully into view (with `marginPx` to spare). */
export function scrollToShow(view: TimelineView, frame: number, marginPx = 0): TimelineView {
  const left = frame * view.pxPerFrame;
  const right = left + view.pxPerFrame;
  let scroll = view.scrollPx;
  if (left - marginPx < scroll) scroll = left - marginPx;
  else if (right + marginPx > scroll + view.widthPx) scroll = right + marginPx - view.widthPx;
  return withScroll(view, scroll);
}

const TICK_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const TICK_FRAMES = [1, 2, 5, 10];

/**
 * Frames between labelled ticks: the smallest "round" step (1, 2, 5, 10 frames, then whole seconds
 * and minutes) at least `minLabelPx` apart, so labels never overlap at any zoom.
 */
export function tickStepFrames(pxPerFrame: number, fps: number, minLabelPx = 80): number {
  const frameSteps = TICK_FRAMES.filter((f) => f < fps);
  const secondSteps = TICK_SECONDS.map((s) => Math.max(1, Math.round(s * fps)));
  for (const step of [...frameSteps, ...secondSteps]) if (step * pxPerFrame >= minLabelPx) return step;
  return secondSteps[secondSteps.length - 1]!;
}

/** The frames of labelled ticks in the visible range (multiples of the step). */
export function ticks(view: TimelineView, fps: number, minLabelPx = 80): number[] {
  const range = visibleFrameRange(view);
  if (!range) return [];
  const step = tickStepFrames(view.pxPerFrame, fps, minLabelPx);
  const out: number[] = [];
  for (let f = Math.ceil(range.first / step) * step; f <= range.last; f += step) out.push(f);
  return out;
}
