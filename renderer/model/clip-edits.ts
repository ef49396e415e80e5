/**
 * ClipEdits: everything a reviewer edits on one clip (its tracks and audio ranges), as one
 * immutable value. Commands map one ClipEdits to the next; nothing mutates one in place, so a
 * previous state stays valid for undo and for comparison.
 */
import type { AudioRedaction } from '../../common/plan';
import type { Track } from '../../common/track';

export type AudioRange = AudioRedaction;

export interface ClipEdits {
  readonly tracks: readonly Track[];
  readonly audio: readonly AudioRange[];
}

export const EMPTY_CLIP_EDITS: ClipEdits = Object.freeze({ tracks: Object.freeze([]), audio: Object.freeze([]) });

export function findTrack(edits: ClipEdits, id: string): Track | undefined {
  return edits.tracks.find((t) => t.id === id);
}

/** A fresh id for a new track or audio range; random so ids never collide across clips or sessions. */
export function newId(prefix: string): string {
  const c = globalThis.crypto;
  // randomUUID exists only in secure contexts; getRandomValues everywhere (e.g. a custom protocol page).
  if (typeof c.randomUUID === 'function') return `${prefix}-${c.randomUUID()}`;
  const bytes = c.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
