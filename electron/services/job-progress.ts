import type { ApiEvent } from '../../common/api';
import { progressMeter, type ProgressFigures, type ProgressUnit } from '../../common/progress';

/**
 * The progress events of one job. The engine measures its own detection and export; for the rest
 * (hashing, the playable copy) the rate and time left are measured here, so every job the app shows
 * says how far it is and how long is left.
 */
export function jobProgress(emit: (e: ApiEvent) => void, jobId: string) {
  const meter = progressMeter();
  const send = (phase: string, figures: ProgressFigures) => emit({ type: 'progress', jobId, phase: phase.slice(0, 100), ...figures });
  return {
    /** A step with nothing to count (probing, reading a file): shown as under way. */
    step: (phase: string) => send(phase, { done: 0, total: 0, unit: 'frames', rate: 0, etaSeconds: null }),
    /** A count measured here. */
    count: (phase: string, unit: ProgressUnit, done: number, total: number) => send(phase, { done, total, unit, ...meter(phase, done, total) }),
    /** Figures the engine measured. */
    figures: (phase: string, figures: ProgressFigures) => send(phase, { done: figures.done, total: figures.total, unit: figures.unit, rate: figures.rate, etaSeconds: figures.etaSeconds }),
  };
}
