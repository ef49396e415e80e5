import { newProposals } from '../model/proposal-ids';
import { useEffect, useState } from 'react';
import type { Track } from '../../common/track';
import { ALL_DETECT_KINDS } from '../../common/detect-kinds';
import { detectionEditLabel } from '../../common/trail-replay';
import { detectOptionsSchema, type ApiRequest, type ApiResponse } from '../../common/api';
import { ApiError } from '../../common/api';
import { call, errorMessage, newJobId } from '../api/client';
import { addTracks, type EditCommand } from '../model/edit-commands';
import { UndoStack } from '../model/undo-stack';
import { ClipRuns, type ClipRunProgress } from './clip-runs';
import { pendingJob } from '../model/job-progress';
import { repository } from './repository';

/**
 * Detection runs (faces and/or text), one per clip at most, kept outside the editor that starts them: a reviewer moves
 * on to another clip while a long one is analysed, and coming back finds its progress (and its Cancel),
 * or its proposals. The proposals go into the clip's edits through the editor open on that clip, so
 * they show at once and can be undone there, or straight into the store when no editor is open on it.
 * A run outlives the page too: it goes on in the main process, and a reloaded page takes it up
 * (resumeDetections).
 */
export interface DetectionRun extends ClipRunProgress {
  /** Tracks found so far, while it runs (never saved). */
  provisional: Track[];
}

type Apply = (command: EditCommand) => Promise<void>;

/**
 * The run on each clip, and what the last finished one has to say until an editor shows it: an error,
 * "no new proposals", or null (proposals added: clear the message).
 */
const runs = new ClipRuns<DetectionRun, string | null>((e) => (e.type === 'provisional-proposals' ? { jobId: e.jobId, change: { provisional: e.tracks as Track[] } } : null));
const editors = new Map<string, Apply>();

type DetectResult = ApiResponse<'detect'>;
export type DetectOptions = ApiRequest<'detect'>['options'];

/** Detects faces and/or text (options.find) in a clip unless a run on it is already going; resolves when the run has ended. */
export async function startDetection(clip: { id: string; path: string }, frameCount: number, options: DetectOptions = {}): Promise<void> {
  if (runs.has(clip.id)) return;
  const jobId = newJobId('detect');
  show(clip.id, jobId, frameCount, 'starting detection');
  // Recorded before the run starts, so a page reloaded mid-run finds it (resumeDetections).
  const stored = repository.addDetectionRun({ clipId: clip.id, jobId, frameCount, options, started: new Date().toISOString() });
  const result = stored.then(() => call('detect', { jobId, path: clip.path, options }));
  await settle(clip.id, jobId, options, result);
}

/**
 * Takes up the runs this page's predecessor started (it reloaded, or crashed and was reloaded): the
 * main process went on with them. Each shows as running until main has its result, which then goes
 * into the clip as a finished run's would. Runs main no longer knows (the app was closed) are reported
 * as interrupted. Call once, when the app starts.
 */
export async function resumeDetections(): Promise<void> {
  const stored = await repository.listDetectionRuns();
  await Promise.all(
    stored.map(async (row) => {
      if (runs.has(row.clipId)) return;
      show(row.clipId, row.jobId, row.frameCount, 'detecting');
      const result = call('detectionResult', { jobId: row.jobId }).then(({ result }) => {
        if (!result) throw new Error('Detection was interrupted when the app closed; run it again.');
        return result;
      });
      await settle(row.clipId, row.jobId, row.options, result);
    }),
  );
}

function show(clipId: string, jobId: string, frameCount: number, phase: string): void {
  runs.start(clipId, { ...pendingJob(jobId, phase), total: frameCount, provisional: [] });
}

/** A run's end: its proposals go into the clip (recorded in the audit trail), or its error becomes the clip's message. */
async function settle(clipId: string, jobId: string, options: DetectOptions, run: Promise<DetectResult>): Promise<void> {
  let outcome: string | null;
  try {
    const result = await run;
    // What was looked for is recorded even when left at the default (both).
    const settings = { ...options, find: options.find ?? [...ALL_DETECT_KINDS] };
    await repository.appendClipAuditEvents(clipId, [{ type: 'detection', payload: { clipId, model: result.detector, settings, tracks: result.tracks.length } }]);
    // A rerun's proposals are added under ids of their own; only a result already taken up is left out.
    const fresh = newProposals((await repository.loadClipEdits(clipId)).tracks, result.tracks);
    if (fresh.length) {
      const command = addTracks(fresh, detectionEditLabel(fresh.length));
      const apply = editors.get(clipId);
      if (apply) await apply(command);
      else await repository.doCommand(clipId, new UndoStack(), command);
      outcome = null;
    } else {
      outcome = 'Detection found nothing new.';
    }
  } catch (err) {
    // A cancel is the user's choice, not a failure: said plainly.
    outcome = err instanceof ApiError && err.code === 'cancelled' ? 'Detection cancelled: none of its proposals were kept.' : errorMessage(err);
  }
  // Done, failed or cancelled: provisional proposals go; only a finished run adds tracks to the case.
  await repository.removeDetectionRun(clipId, jobId).catch(() => {});
  runs.end(clipId, outcome);
}

/** The preference holding how detection looks (DetectOptions: what it finds, frames analysed, sensitivity). */
export const DETECT_OPTIONS_SETTING = 'detectOptions';

/** How detection looks, as last chosen (kept across clips and sessions), and a way to choose. */
export function useDetectOptions(): [DetectOptions, (options: DetectOptions) => void] {
  const [options, setOptions] = useState<DetectOptions>({});
  useEffect(() => {
    void repository
      .getSetting(DETECT_OPTIONS_SETTING)
      .then((stored) => {
        // Read back through the API's schema: a stored value that no longer fits is ignored.
        const parsed = detectOptionsSchema.safeParse(stored);
        if (parsed.success) setOptions(parsed.data);
      })
      .catch(() => {});
  }, []);
  const choose = (next: DetectOptions) => {
    setOptions(next);
    void repository.setSetting(DETECT_OPTIONS_SETTING, next).catch(() => {});
  };
  return [options, choose];
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

/** The run on a clip (null when none), kept current. */
export function useDetectionRun(clipId: string): DetectionRun | null {
  return runs.use(clipId);
}

/** What the last run on a clip had to say, once (undefined: nothing new): the editor shows it as its message. */
export function takeDetectionOutcome(clipId: string): string | null | undefined {
  return runs.takeOutcome(clipId);
}
