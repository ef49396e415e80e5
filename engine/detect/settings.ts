import { z } from 'zod';

/**
 * Face detector settings. Defaults favour recall: a missed face is published, an extra box only
 * blurs a bit of background and the reviewer can remove it. Each default's measured reason is in
 * BENCHMARKS.md.
 */
export const DetectSettingsSchema = z
  .object({
    /** Detections scoring below this are dropped. */
    scoreThreshold: z.number().gt(0).lt(1),
    /**
     * The passes YuNet makes over each frame, as integer shrink factors: 1 looks at the frame as
     * analysed, 2 at half its size, 4 at a quarter (the model finds large faces better smaller).
     */
    passes: z.array(z.number().int().min(1).max(8)).min(1).max(4),
    /**
     * Boxes taller than `largeFaceFraction` of the frame count only from this score: a false box costs
     * its area, and large false boxes on texture (grass, a backpack, motion blur) each covered a tenth
     * of the frame and more on the bench clips, while true faces that large mostly score far above.
     */
    largeFaceScoreThreshold: z.number().gt(0).lt(1),
    largeFaceFraction: z.number().gt(0).max(1),
    /** Boxes overlapping at least this much (IoU) are one face; the best-scoring is kept. */
    nmsIou: z.number().gt(0).max(1),
    /** Local contrast normalisation (CLAHE) of dark frames before the model sees them. */
    contrastNormalise: z.enum(['auto', 'off']),
    /** Detections smaller than this (the shorter side, frame pixels) are dropped. */
    minFaceSize: z.number().min(0),
  })
  .strict();

export type DetectSettings = z.infer<typeof DetectSettingsSchema>;

export const DEFAULT_DETECT_SETTINGS: Readonly<DetectSettings> = Object.freeze({
  // 0.4: on the bench clips (bench/detect-replay.mjs, tracker as default) 0.5 left 5,179 face-frames
  // of faces ≥ 24 px exposed at 3.4% over-redaction, 0.4 left 4,712 at 4.4%, 0.3 left 4,196 at 5.4%.
  scoreThreshold: 0.4,
  // [1, 2, 4] with 0.75 against [1, 2] with 0.7 (detect-replay, the 12 clips): faces ≥ 24 px exposed in
  // 3,967 face-frames against 4,204, ≥ 96 px in 493 against 557, over-redaction 4.6% against 5.0% mean
  // (the quarter-size pass finds close faces the others miss, and its large false boxes mostly score
  // below 0.75).
  passes: [1, 2, 4],
  largeFaceScoreThreshold: 0.75,
  largeFaceFraction: 0.25,
  nmsIou: 0.3,
  contrastNormalise: 'auto',
  minFaceSize: 8,
});

/** Defaults overlaid with `overrides`; throws a readable error naming the bad setting. */
export function resolveDetectSettings(overrides: Partial<DetectSettings> = {}): DetectSettings {
  const parsed = DetectSettingsSchema.safeParse({ ...DEFAULT_DETECT_SETTINGS, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid detector setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
