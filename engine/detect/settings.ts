import { z } from 'zod';

/** Where the detector also looks at the mirror image, from nowhere to everywhere (`mirrorPass`). */
export const MIRROR_PASSES = ['off', 'whole-frame', 'dark-tiles', 'every-tile'] as const;

/**
 * Face detector settings. Defaults favour recall: a missed face is published, an extra box only
 * blurs a bit of background and the reviewer can remove it.
 */
export const DetectSettingsSchema = z
  .object({
    /** Tiles across the longer side of the frame. */
    cols: z.number().int().min(1).max(8),
    /** Tiles across the shorter side. */
    rows: z.number().int().min(1).max(8),
    /** Minimum overlap between neighbouring tiles, as a fraction of the tile. */
    overlap: z.number().min(0).max(0.75),
    /** Also look at the whole frame, for faces too large for one tile. */
    wholeFramePass: z.boolean(),
    /**
     * Also look at the mirror image: not at all, of the whole frame, of the whole frame and the tiles
     * auto levels brightened, or of every tile. BlazeFace is not symmetric, so the mirror gives a
     * turned or half-hidden face a second chance.
     */
    mirrorPass: z.enum(MIRROR_PASSES),
    /** Detections scoring below this are dropped. */
    scoreThreshold: z.number().gt(0).lt(1),
    /**
     * In tiles that auto levels brightened (dark footage), faces up to `darkMaxFaceFraction` of the
     * frame's shorter side are kept from this score instead (never a stricter one than scoreThreshold).
     */
    darkScoreThreshold: z.number().gt(0).lt(1),
    darkMaxFaceFraction: z.number().min(0).max(1),
    /** Those faces' boxes, whatever their score, are enlarged this much about their centre. */
    darkBoxScale: z.number().min(1).max(2),
    /** Boxes overlapping at least this much (IoU) are blended into one. */
    nmsIou: z.number().gt(0).max(1),
    /** Per-tile auto levels for dark footage; well-exposed tiles are untouched either way. */
    contrastNormalise: z.enum(['auto', 'off']),
    /** Detections smaller than this (the shorter side, frame pixels) are dropped. */
    minFaceSize: z.number().min(0),
  })
  .strict();

export type DetectSettings = z.infer<typeof DetectSettingsSchema>;

export const DEFAULT_DETECT_SETTINGS: Readonly<DetectSettings> = Object.freeze({
  cols: 3,
  rows: 2,
  overlap: 0.25,
  wholeFramePass: true,
  // On the bench clips, mirrors of the whole frame and of dark tiles took the exposed face-frames of
  // faces ≥ 96 px from 474 to 348 and of 48–96 px from 2824 to 1967, and night 3's recall of faces
  // ≥ 24 px from 52% to 68%, for about 30% more detection time (more at night, none more by day beyond
  // the whole frame) and more over-redaction. Every tile's mirror gains little more for much more time
  // (BENCHMARKS.md), so it is left to the user.
  mirrorPass: 'dark-tiles',
  // 0.45 rather than 0.5: on the bench clips it confirms faces BlazeFace scores weakly (turned,
  // half-hidden, at the edge), taking the ≥96 px exposures of seeds 1–2 from 51 face-frames to 15, for
  // 1–16 points more over-redaction (BENCHMARKS.md).
  scoreThreshold: 0.45,
  // In the dark, true faces score lower: on the bench's night clips, tile detections of faces scoring
  // 0.30–0.45 were about three true to one false. Larger weak boxes are left out: they are mostly
  // false and each costs much of the frame (BENCHMARKS.md).
  darkScoreThreshold: 0.3,
  darkMaxFaceFraction: 1 / 6,
  // In the dark the detector boxes only the lit core of a small face: faces of 24–120 px on the night
  // clips were a median 1.48× the box's height (1.21× by day) and 1.15× its width (0.96×). Larger faces
  // are boxed as by day.
  darkBoxScale: 1.2,
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
