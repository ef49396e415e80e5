import { z } from 'zod';
import { repository } from './repository';

/**
 * Where the reviewer was: the open case, clip and frame. Kept as a preference so that a reload, a
 * crashed page the app reloaded, or the next start, comes back to the same frame of the same clip
 * instead of the case list. Read once at start; each part is handed out once, to the view that opens.
 */
export const LAST_PLACE_SETTING = 'lastPlace';

const placeSchema = z.object({ caseId: z.string().nullable(), clipId: z.string().nullable(), frame: z.number().int().min(0) }).strict();
type Place = z.infer<typeof placeSchema>;

/** After a write, the next waits at least this long (playback moves the frame 30 times a second). */
const WRITE_GAP_MS = 200;

let current: Place = { caseId: null, clipId: null, frame: 0 };
/** What the app comes back to at start; each part is cleared once taken, or once the reviewer goes elsewhere. */
let start: Place | null = null;
// One write at a time, the latest place winning: a step or a move to another case or clip is written
// at once, playback every WRITE_GAP_MS.
let writing = false;
let dirty = false;
let wake: (() => void) | null = null;

/** Reads where the last session was; call once before the app shows anything. */
export async function loadLastPlace(): Promise<void> {
  const parsed = placeSchema.safeParse(await repository.getSetting(LAST_PLACE_SETTING).catch(() => undefined));
  start = parsed.success ? parsed.data : null;
  if (start) current = { ...start };
}

/** The case to reopen at start. */
export function takeStartCase(): string | null {
  return start?.caseId ?? null;
}

/** The clip to reopen when case `caseId` opens at start (once). */
export function takeStartClip(caseId: string): string | null {
  if (!start || start.caseId !== caseId || !start.clipId) return null;
  const id = start.clipId;
  start = { ...start, clipId: null };
  return id;
}

/** The frame to show first when clip `clipId` opens at start (once), else 0. */
export function takeStartFrame(clipId: string): number {
  if (!start || start.clipId !== null || current.clipId !== clipId) return 0;
  const frame = start.frame;
  start = null;
  return frame;
}

/** Records a change of place: a case opened or closed, a clip opened, the playhead moved. */
export function rememberPlace(change: Partial<Place>): void {
  const next = { ...current, ...change };
  if (change.caseId !== undefined && change.caseId !== current.caseId) Object.assign(next, { clipId: change.clipId ?? null, frame: change.frame ?? 0 });
  if (change.clipId !== undefined && change.clipId !== current.clipId) next.frame = change.frame ?? 0;
  if (next.caseId === current.caseId && next.clipId === current.clipId && next.frame === current.frame) return;
  // Going anywhere but the start place ends the start: a later visit opens as usual.
  if (start && (next.caseId !== start.caseId || (start.clipId === null && next.clipId !== current.clipId))) start = null;
  const moved = next.caseId !== current.caseId || next.clipId !== current.clipId;
  current = next;
  dirty = true;
  if (moved) wake?.();
  if (!writing) void write();
}

async function write(): Promise<void> {
  writing = true;
  while (dirty) {
    dirty = false;
    await repository.setSetting(LAST_PLACE_SETTING, current).catch(() => {});
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, WRITE_GAP_MS);
    });
    wake = null;
  }
  writing = false;
}
