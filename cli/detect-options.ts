import type { DetectVideoSettings } from '../engine/detect/detect-video';
import { MIRROR_PASSES } from '../engine/detect/settings';
import { UsageError } from './context';
import { numberOption } from './options';

/** Options shared by `detect` and `auto`. */
export const DETECT_OPTIONS = {
  every: { type: 'string' },
  threshold: { type: 'string' },
  'dark-threshold': { type: 'string' },
  tiles: { type: 'string' },
  mirror: { type: 'string' },
} as const;

export function detectSettingsFrom(values: { every?: string; threshold?: string; 'dark-threshold'?: string; tiles?: string; mirror?: string }): Partial<DetectVideoSettings> {
  const settings: Partial<DetectVideoSettings> = { detector: {} };
  const every = numberOption(values.every, '--every', { min: 1, max: 300, integer: true });
  if (every !== undefined) settings.every = every;
  const threshold = numberOption(values.threshold, '--threshold', { min: 0.01, max: 0.99 });
  if (threshold !== undefined) settings.detector!.scoreThreshold = threshold;
  const darkThreshold = numberOption(values['dark-threshold'], '--dark-threshold', { min: 0.01, max: 0.99 });
  if (darkThreshold !== undefined) settings.detector!.darkScoreThreshold = darkThreshold;
  if (values.tiles !== undefined) {
    const m = /^(\d)x(\d)$/i.exec(values.tiles);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--tiles must be CxR with 1–8 columns and rows, like 3x2, not '${values.tiles}'`);
    settings.detector!.cols = Number(m[1]);
    settings.detector!.rows = Number(m[2]);
  }
  if (values.mirror !== undefined) {
    const mirror = MIRROR_PASSES.find((m) => m === values.mirror);
    if (!mirror) throw new UsageError(`--mirror must be ${MIRROR_PASSES.join(', ')}, not '${values.mirror}'`);
    settings.detector!.mirrorPass = mirror;
  }
  return settings;
}
