import { z } from 'zod';
import { DECISIONS, TRACK_LABELS, TRACK_SHAPES, type Track } from './track';
import { firstFew } from './first-few';
import type { RedactionStyle } from './style';
import { subjectAccessSchema } from './subject-access';

/**
 * The redaction plan: everything export needs, and nothing else. Versioned, and validated with
 * this schema wherever it crosses a boundary (file, IPC, command line).
 */
export const PLAN_SCHEMA_ID = 'evidence-redactor/plan';
export const PLAN_VERSION = 1;

// Limits that keep a hostile plan from exhausting memory or time; far above real footage.
const MAX_DIMENSION = 16384;
const MAX_FRAMES = 50_000_000;
const MAX_TRACKS = 100_000;
const MAX_KEYFRAMES = 1_000_000;
const MAX_SECONDS = 7 * 24 * 3600;

const finite = z.number().finite();
const frameIndex = z.number().int().min(0).max(MAX_FRAMES);
const coordinate = finite.min(-MAX_DIMENSION).max(2 * MAX_DIMENSION);
const size = finite.min(0).max(2 * MAX_DIMENSION);
const shortText = z.string().max(1000);
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #RRGGBB');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const rational = z.object({ num: z.number().int().min(0), den: z.number().int().min(1) }).strict();

export const styleSchema: z.ZodType<RedactionStyle> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('solid'), fill: hexColour }).strict(),
  z.object({ kind: z.literal('pixelate') }).strict(),
  z.object({ kind: z.literal('blur') }).strict(),
]);

export const keyframeSchema = z
  .object({
    frame: frameIndex,
    x: coordinate,
    y: coordinate,
    w: size,
    h: size,
    outside: z.boolean(),
    source: z.enum(['detected', 'manual']),
    confidence: finite.min(0).max(1).optional(),
  })
  .strict();

export const trackSchema = z
  .object({
    id: z.string().min(1).max(200),
    label: z.enum(TRACK_LABELS),
    shape: z.enum(TRACK_SHAPES),
    style: styleSchema.optional(),
    reason: z.string().min(1).max(100),
    reasonText: shortText.optional(),
    provenance: z
      .object({
        origin: z.enum(['detected', 'manual']),
        detector: shortText.optional(),
        createdBy: shortText.optional(),
        editedBy: z.array(shortText).max(1000).optional(),
      })
      .strict(),
    decision: z.enum(DECISIONS),
    /** Who last set the decision, and when (ISO 8601); absent for undecided proposals and older plans. */
    decidedBy: shortText.optional(),
    decidedAt: z.string().max(40).optional(),
    /** The requester of a subject access request (common/subject-access.ts); absent in older plans. */
    requester: z.literal(true).optional(),
    keyframes: z.array(keyframeSchema).max(MAX_KEYFRAMES),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (let i = 1; i < t.keyframes.length; i++) {
      if (t.keyframes[i]!.frame <= t.keyframes[i - 1]!.frame) {
        ctx.addIssue({ code: 'custom', path: ['keyframes', i, 'frame'], message: 'keyframes must be in increasing frame order' });
        return;
      }
    }
  });

/** A bleep: a 1 kHz sine at a quarter of full scale in place of the sound (export, and the app's preview). */
export const BLEEP_FREQUENCY_HZ = 1000;
export const BLEEP_LEVEL = 0.25;

export const audioRedactionSchema = z
  .object({
    id: z.string().min(1).max(200),
    /** Seconds from the start of the source. */
    start: finite.min(0).max(MAX_SECONDS),
    end: finite.min(0).max(MAX_SECONDS),
    mode: z.enum(['mute', 'bleep']),
    reason: z.string().min(1).max(100),
    reasonText: shortText.optional(),
    decidedBy: shortText.optional(),
  })
  .strict()
  .refine((a) => a.end > a.start, { message: 'audio range must end after it starts', path: ['end'] });

export const videoFactsSchema = z
  .object({
    width: z.number().int().min(1).max(MAX_DIMENSION),
    height: z.number().int().min(1).max(MAX_DIMENSION),
    frameCount: z.number().int().min(0).max(MAX_FRAMES),
    timeBase: rational,
    /** Average frame rate, exact as the container states it. */
    frameRate: rational,
    codec: shortText,
    pixelFormat: shortText,
    variableFrameRate: z.boolean(),
  })
  .strict();

export const planSchema = z
  .object({
    schema: z.literal(PLAN_SCHEMA_ID),
    version: z.literal(PLAN_VERSION),
    source: z
      .object({
        /** File name only; the path is supplied when exporting. */
        name: shortText,
        size: z.number().int().min(0),
        sha256,
        video: videoFactsSchema,
        hasAudio: z.boolean(),
      })
      .strict(),
    tracks: z.array(trackSchema).max(MAX_TRACKS),
    audio: z.array(audioRedactionSchema).max(MAX_TRACKS),
    /** Inclusive source frame range to export; omitted for the whole clip. */
    trim: z
      .object({ startFrame: frameIndex, endFrame: frameIndex })
      .strict()
      .refine((t) => t.endFrame >= t.startFrame, { message: 'trim must end at or after it starts' })
      .optional(),
    /** A subject access export (issue 22): show the requester's regions, hide everyone else. Absent in older plans. */
    subject: subjectAccessSchema.optional(),
    output: z
      .object({
        style: styleSchema,
        crf: z.number().int().min(0).max(51),
        preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow']),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.tracks.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tracks', i, 'id'], message: `duplicate track id ${t.id}` });
      ids.add(t.id);
    });
    if (p.subject && !p.tracks.some((t) => t.requester)) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'a subject access export needs at least one region marked as the requester' });
    }
    if (p.trim && p.trim.endFrame >= p.source.video.frameCount && p.source.video.frameCount > 0) {
      ctx.addIssue({ code: 'custom', path: ['trim', 'endFrame'], message: 'trim ends after the last frame' });
    }
  });

export type RedactionPlan = z.infer<typeof planSchema>;
export type AudioRedaction = z.infer<typeof audioRedactionSchema>;
export type VideoFacts = z.infer<typeof videoFactsSchema>;
export type PlanTrack = Track;

export const DEFAULT_OUTPUT: RedactionPlan['output'] = { style: { kind: 'blur' }, crf: 18, preset: 'veryfast' };

export class PlanValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid plan: ${firstFew(issues, 3)}`);
    this.name = 'PlanValidationError';
  }
}

/** Validates untrusted input as a plan. Throws PlanValidationError with readable paths. */
export function parsePlan(input: unknown): RedactionPlan {
  const result = planSchema.safeParse(input);
  if (result.success) return result.data;
  throw new PlanValidationError(
    result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  );
}
