import { useEffect, useSyncExternalStore } from 'react';
import type { Track } from '../../common/track';
import { detectionEditLabel } from '../../common/trail-replay';
import { call, errorMessage, newJobId, onApiEvent } from '../api/client';
import { addTracks, type EditCommand } from '../model/edit-commands';
import { UndoStack } from '../model/undo-stack';
import { repository } from './repository';

/**
 * Face detection runs, one per clip at most, kept outside the editor that starts them: a reviewer moves
 * on to another clip while a long one is analysed, and coming back finds its progress (and its Cancel),
 * or its proposals. The proposals go into the clip's edits through the editor open on that clip, so
 * they show at once and can be undone there, or straight into the store when no editor is open on it.
 */
export interface DetectionRun {
  jobId: string;
  phase: string;
  done: number;
  total: number;
  /** Tracks found so far, while it runs (never saved). */
  provisional: Track[];
}

type Apply = (command: EditCommand) => Promise<void>;

const runs = new Map<string, DetectionRun>();
/**
 * What the last finished run on a clip has to say until an editor shows it: an error, "no new faces",
 * or null (proposals added: clear the message).
 */
const outcomes = new Map<string, string | null>();
const editors = new Map<string, Apply>();
const listeners = new Set<() => void>();
let following = false;

function changed(): void {
  for (const l of listeners) l();
}

function update(jobId: string, change: Partial<DetectionRun>): void {
  for (const [clipId, run] of runs) {
    if (run.jobId !== jobId) continue;
    runs.set(clipId, { ...run, ...change });
    changed();
  }
}

/** Progress and provisional tracks, followed once for every run from the first start on. */
function follow(): void {
  if (following) return;
  following = true;
  onApiEvent((e) => {
    if (e.type === 'progress') update(e.jobId, { phase: e.phase, done: e.done, total: e.total });
    else if (e.type === 'provisional-proposals') update(e.jobId, { provisional: e.tracks as Track[] });
  });
}

/** Detects faces in a clip unless a run on it is already going; resolves when the run has ended. */
export async function startDetection(clip: { id: string; path: string }, frameCount: number): Promise<void> {
  if (runs.has(clip.id)) return;
  follow();
  const jobId = newJobId('detect');
  runs.set(clip.id, { jobId, phase: 'starting detection', done: 0, total: frameCount, provisional: [] });
  outcomes.delete(clip.id);
  changed();
  try {
    const options = {};
    const result = await call('detect', { jobId, path: clip.path, options });
    await repository.appendClipAuditEvents(clip.id, [{ type: 'detection', payload: { clipId: clip.id, model: result.detector, settings: options, tracks: result.tracks.length } }]);
    // Proposals whose ids are already on the clip (a rerun) are not added twice.
    const known = new Set((await repository.loadClipEdits(clip.id)).tracks.map((t) => t.id));
    const fresh = result.tracks.filter((t) => !known.has(t.id));
    if (fresh.length) {
      const command = addTracks(fresh, detectionEditLabel(fresh.length));
      const apply = editors.get(clip.id);
      if (apply) await apply(command);
      else await repository.doCommand(clip.id, new UndoStack(), command);
      outcomes.set(clip.id, null);
    } else {
      outcomes.set(clip.id, 'Detection found no new faces.');
    }
  } catch (err) {
    outcomes.set(clip.id, errorMessage(err));
  } finally {
    // Done, failed or cancelled: provisional proposals go; only a finished run adds tracks to the case.
    runs.delete(clip.id);
    changed();
  }
}

/** The editor open on a clip takes that clip's proposals through `apply` (its session) while it stays open. */
export function useDetectionTarget(clipId: string, apply: Apply): void {
  useEffect(() => {
    editors.set(clipId, apply);
    return () => {
      if (editors.get(clipId) === apply) editors.delete(clipId);
    };
  }, [clipId, apply]);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The run on a clip (null when none), kept current. */
export function useDetectionRun(clipId: string): DetectionRun | null {
  return useSyncExternalStore(subscribe, () => runs.get(clipId) ?? null);
}

/** What the last run on a clip had to say, once (undefined: nothing new): the editor shows it as its message. */
export function takeDetectionOutcome(clipId: string): string | null | undefined {
  const message = outcomes.get(clipId);
  outcomes.delete(clipId);
  return message;
}
