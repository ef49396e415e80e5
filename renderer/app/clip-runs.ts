import { useSyncExternalStore } from 'react';
import type { ApiEvent } from '../../common/api';
import { onApiEvent } from '../api/client';
import { withProgress, type JobProgressState } from '../model/job-progress';

/** What every long job shown on a clip has: its job id and its progress. */
export type ClipRunProgress = JobProgressState;

/**
 * Long jobs kept per clip outside the editor (detection-runs.ts, export-runs.ts): at most one of a kind
 * per clip, its progress followed from the API's events, and what it came to (`O`) kept until an editor
 * on the clip takes it. `fromEvent` maps further events to changes of a run (detection's provisional
 * tracks); progress is followed for every kind.
 */
export class ClipRuns<R extends ClipRunProgress, O> {
  private readonly runs = new Map<string, R>();
  private readonly outcomes = new Map<string, O>();
  private readonly listeners = new Set<() => void>();
  private following = false;

  constructor(private readonly fromEvent?: (e: ApiEvent) => { jobId: string; change: Partial<R> } | null) {}

  has(clipId: string): boolean {
    return this.runs.has(clipId);
  }

  /** Shows `run` on its clip (clearing what the last run came to) and follows its progress. */
  start(clipId: string, run: R): void {
    this.follow();
    this.runs.set(clipId, run);
    this.outcomes.delete(clipId);
    this.changed();
  }

  /** The run on the clip is over; `outcome`, if given, waits for an editor on the clip. */
  end(clipId: string, outcome?: O): void {
    if (outcome !== undefined) this.outcomes.set(clipId, outcome);
    this.runs.delete(clipId);
    this.changed();
  }

  /** The run on a clip (null when none), kept current. */
  use(clipId: string): R | null {
    return useSyncExternalStore(this.subscribe, () => this.runs.get(clipId) ?? null);
  }

  /** What the last run on the clip came to, once (undefined: nothing new). */
  takeOutcome(clipId: string): O | undefined {
    const outcome = this.outcomes.get(clipId);
    this.outcomes.delete(clipId);
    return outcome;
  }

  private readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private update(jobId: string, change: (run: R) => R): void {
    for (const [clipId, run] of this.runs) {
      if (run.jobId !== jobId) continue;
      this.runs.set(clipId, change(run));
      this.changed();
    }
  }

  /** Events followed once, from the first run on. */
  private follow(): void {
    if (this.following) return;
    this.following = true;
    onApiEvent((e) => {
      if (e.type === 'progress') this.update(e.jobId, (run) => withProgress(run, e));
      const more = this.fromEvent?.(e);
      if (more) this.update(more.jobId, (run) => ({ ...run, ...more.change }));
    });
  }
}
