import type { ApiEvent } from '../../common/api';
import type { ProgressFigures } from '../../common/progress';

/** A long job as the page shows it: which job, its phase, and its latest figures. */
export interface JobProgressState extends ProgressFigures {
  jobId: string;
  phase: string;
}

/** A job not yet under way (queued, starting): nothing to count yet. */
export function pendingJob(jobId: string, phase: string): JobProgressState {
  return { jobId, phase, done: 0, total: 0, unit: 'frames', rate: 0, etaSeconds: null };
}

/** `job` with the figures of a progress event about it; `job` itself for any other event. */
export function withProgress<J extends JobProgressState>(job: J, e: ApiEvent): J {
  if (e.type !== 'progress' || e.jobId !== job.jobId) return job;
  return { ...job, phase: e.phase, done: e.done, total: e.total, unit: e.unit, rate: e.rate, etaSeconds: e.etaSeconds };
}
