import { z } from 'zod';
import { padBox, type Box } from './geometry';
import { boxAtFrame, isRedacted, trackSpan, type Track } from './track';

/**
 * Subject access (issue 22): a member of the public asks for footage of themselves. The reviewer marks
 * the regions that are the requester (`requester` on a track); every other person must be hidden:
 *  - `everyone-else`: every region that is not the requester's is redacted, whatever its decision;
 *  - `everything-else` (the safe default): the whole picture outside the requester's padded regions is
 *    redacted, so no detector miss can disclose a third party; other regions are still drawn on top,
 *    so a third party's face inside the requester's box stays hidden.
 * Frames without the requester are redacted whole in `everything-else` mode, or cut (`absent: 'cut'`:
 * the export is trimmed to the frames from the requester's first to last appearance).
 * Sound is kept only inside the requester's speech ranges, unless the reviewer keeps all of it with a reason.
 */
export const SUBJECT_MODES = ['everything-else', 'everyone-else'] as const;
export type SubjectMode = (typeof SUBJECT_MODES)[number];

const MAX_SECONDS = 7 * 24 * 3600;
const speechRangeSchema = z
  .object({ start: z.number().finite().min(0).max(MAX_SECONDS), end: z.number().finite().min(0).max(MAX_SECONDS) })
  .strict()
  .refine((r) => r.end > r.start, { message: 'a speech range must end after it starts', path: ['end'] });

export const subjectAccessSchema = z
  .object({
    mode: z.enum(SUBJECT_MODES),
    /** The request's reference (a request number): free text, never a name unless one is typed. */
    requestRef: z.string().trim().min(1, 'a subject access export needs the request reference').max(200),
    /** Grows each requester box by this fraction of its width at the sides and of its height above and below. */
    padding: z.number().finite().min(0).max(2).optional(),
    /** Frames without the requester: redacted whole (everything-else) or cut from the ends of the export. */
    absent: z.enum(['redact', 'cut']).optional(),
    sound: z
      .discriminatedUnion('keep', [
        /** Seconds from the first frame, as audio ranges are; sound outside them is silenced. */
        z.object({ keep: z.literal('speech'), speech: z.array(speechRangeSchema).max(100_000) }).strict(),
        z.object({ keep: z.literal('all'), reason: z.string().trim().min(1, 'keeping all the sound needs a reason').max(2000) }).strict(),
      ])
      .optional(),
  })
  .strict();

export type SubjectAccess = z.infer<typeof subjectAccessSchema>;

/** Tracks marked as the requester. */
export function requesterTracks<T extends Pick<Track, 'requester'>>(tracks: readonly T[]): T[] {
  return tracks.filter((t) => t.requester === true);
}

/** Whether a track is redacted in this export: in subject access every region but the requester's is. */
export function redactedInExport(track: Pick<Track, 'decision' | 'requester'>, subject: SubjectAccess | undefined): boolean {
  if (!subject) return isRedacted(track);
  return track.requester !== true;
}

/** The requester's boxes at a frame, padded as the plan says. */
export function requesterBoxesAt(requesters: readonly Track[], subject: SubjectAccess, frame: number): Box[] {
  const boxes: Box[] = [];
  for (const t of requesters) {
    const b = boxAtFrame(t, frame);
    if (b) boxes.push(subject.padding ? padBox(b, subject.padding) : b);
  }
  return boxes;
}

/** First and last frame any requester region shows, or null when none ever does. */
export function requesterSpan(requesters: readonly Track[], lastFrame: number): { first: number; last: number } | null {
  let span: { first: number; last: number } | null = null;
  for (const t of requesters) {
    const s = trackSpan(t, lastFrame);
    if (!s) continue;
    span = span ? { first: Math.min(span.first, s.first), last: Math.max(span.last, s.last) } : s;
  }
  return span;
}

/**
 * Sets `requester` on exactly the tracks named (and clears it on the rest): the command line's
 * `--subject` list. Throws with the unknown ids named.
 */
export function markRequesters<T extends Track>(tracks: readonly T[], ids: readonly string[]): T[] {
  const known = new Set(tracks.map((t) => t.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`no region ${unknown.map((u) => `'${u}'`).join(', ')} in the plan (regions: ${[...known].slice(0, 20).join(', ') || 'none'})`);
  const wanted = new Set(ids);
  return tracks.map((t) => {
    const { requester: _old, ...rest } = t;
    return (wanted.has(t.id) ? { ...rest, requester: true } : rest) as T;
  });
}
