import { z } from 'zod';
import type { RedactionPlan } from '../../common/plan';
import { detectVideo, type DetectProgress } from '../detect/detect-video';
import { YUNET_N, modelIdentity } from '../detect/model-file';
import { probe } from '../media/probe';
import { DEFAULT_MIN_COVERAGE, leaksInFrame, type LeakFinding } from './find-leaks';
import { countOf } from '../../common/count-of';

/**
 * The leak check: detection runs again on the exported clip, and every face still detectable outside
 * a redacted region is listed (faces inside regions kept on purpose are counted apart). It is a second look, not a proof: a face the detector cannot see in
 * the original will not be seen here either, so the reviewer's own watching still counts.
 */
export interface LeakCheckSettings {
  /** Check every N-th output frame. Default 1: a face shown for one frame is still a leak. */
  every: number;
  /**
   * Detector score threshold. Higher than detection's: detection favours recall (a reviewer rejects
   * extra boxes), but a check that cries wolf on every patterned shirt gets ignored.
   */
  scoreThreshold?: number;
  /** Share of a detection that must lie in one redacted region for it to count as hidden. */
  minCoverage: number;
}

export const DEFAULT_LEAK_CHECK_SETTINGS: LeakCheckSettings = { every: 1, scoreThreshold: 0.75, minCoverage: DEFAULT_MIN_COVERAGE };

/** Leaks listed in full up to this many; the count is always exact. */
const MAX_LISTED = 1000;

export const leakCheckResultSchema = z
  .object({
    model: z.string(),
    modelSha256: z.string(),
    settings: z.object({ every: z.number(), scoreThreshold: z.number().optional(), minCoverage: z.number() }).strict(),
    command: z.string(),
    framesChecked: z.number().int(),
    clean: z.boolean(),
    leakCount: z.number().int(),
    /** Faces detected inside regions kept on purpose (decision `keep`): shown by decision, never leaks. Absent in older reports. */
    insideKept: z.number().int().optional(),
    /** Output frames with at least one leak. */
    framesWithLeaks: z.array(z.number().int()),
    leaks: z.array(
      z
        .object({
          outputFrame: z.number().int(),
          sourceFrame: z.number().int(),
          box: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }).strict(),
          score: z.number(),
          coveredShare: z.number(),
        })
        .strict(),
    ),
  })
  .strict();

export type LeakCheckResult = z.infer<typeof leakCheckResultSchema>;

export async function leakCheck(
  outputPath: string,
  plan: Pick<RedactionPlan, 'tracks' | 'trim'>,
  options: { settings?: Partial<LeakCheckSettings>; signal?: AbortSignal; onProgress?: (p: DetectProgress) => void; modelPath?: string } = {},
): Promise<LeakCheckResult> {
  const settings: LeakCheckSettings = { ...DEFAULT_LEAK_CHECK_SETTINGS, ...options.settings };
  const probed = await probe(outputPath, options.signal);
  const leaks: LeakFinding[] = [];
  const frames = new Set<number>();
  let framesChecked = 0;
  let insideKept = 0;
  let command = '';
  await detectVideo(probed, {
    // Faces only: the leak check compares faces in the output with the redactions.
    settings: { find: ['faces'], every: settings.every, detector: settings.scoreThreshold === undefined ? {} : { scoreThreshold: settings.scoreThreshold } },
    signal: options.signal,
    onProgress: options.onProgress,
    modelPath: options.modelPath,
    onCommandLine: (c) => (command = c),
    // Faces outside the redactions are what matters here, frame by frame; tracks would be thrown away.
    detectionsOnly: true,
    onDetections: (frame, detections) => {
      framesChecked++;
      const found = leaksInFrame(plan, frame, detections, settings.minCoverage);
      insideKept += found.insideKept;
      for (const leak of found.leaks) {
        frames.add(frame);
        leaks.push(leak);
      }
    },
  });
  return {
    model: modelIdentity(),
    modelSha256: YUNET_N.sha256,
    settings: settings.scoreThreshold === undefined ? { every: settings.every, minCoverage: settings.minCoverage } : { ...settings },
    command,
    framesChecked,
    clean: leaks.length === 0,
    leakCount: leaks.length,
    insideKept,
    framesWithLeaks: [...frames].sort((a, b) => a - b),
    leaks: leaks.slice(0, MAX_LISTED),
  };
}

/** One line for people: "clean (300 frames checked)" or "2 faces in 2 frames: 12, 13". */
export function describeLeakCheck(r: LeakCheckResult): string {
  const kept = r.insideKept ? `; ${countOf(r.insideKept, 'face detection')} inside regions kept on purpose, not leaks` : '';
  if (r.clean) return `clean: no face detectable outside a redacted region (${countOf(r.framesChecked, 'frame')} checked)${kept}`;
  const list = r.framesWithLeaks.slice(0, 20).join(', ') + (r.framesWithLeaks.length > 20 ? ', …' : '');
  return `${countOf(r.leakCount, 'face detection')} outside redacted regions in ${countOf(r.framesWithLeaks.length, 'frame')} (output frames ${list})${kept}`;
}
