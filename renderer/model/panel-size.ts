/**
 * The timeline's height, set with the splitter above it: at least enough for the ruler, the thumbnails,
 * the audio lane and two region lanes, and at most most of the window (the player keeps a strip, the
 * toolbar its row).
 */
export const TIMELINE_MIN = 150;
/** What the window keeps for the header, the toolbar and a strip of the player. */
export const TIMELINE_ROOM_ABOVE = 190;

export function clampTimelineHeight(px: number, windowHeight: number): number {
  const max = Math.max(TIMELINE_MIN, windowHeight - TIMELINE_ROOM_ABOVE);
  return Math.round(Math.min(max, Math.max(TIMELINE_MIN, Number.isFinite(px) ? px : TIMELINE_MIN)));
}

/** The height before the reviewer sets one: a quarter of the window, within 150–320 px (the player comes first). */
export function defaultTimelineHeight(windowHeight: number): number {
  return clampTimelineHeight(Math.min(320, windowHeight / 4), windowHeight);
}
