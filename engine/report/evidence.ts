import { userInfo } from 'node:os';
import { z } from 'zod';
import type { ExportEvidenceRequest } from '../../common/api';
import { auditHeadSchema, type AuditHead } from '../../common/audit-chain';
import type { RedactionPlan } from '../../common/plan';
import { DEFAULT_REASONS, describeReason, KEEP_REASONS, reasonCodeSchema, reasonsForDecision, type ReasonCode } from '../../common/reasons';
import { reviewSummary as reviewState, type WatchedFrames } from '../../common/review-coverage';
import { constantRateClock, formatMediaTime, formatTimecode } from '../../common/timecode';
import { trackSpan } from '../../common/track';
import { redactedInExport, requesterTracks, SUBJECT_MODES, type SubjectAccess } from '../../common/subject-access';
import { UserError } from '../errors';
import { YUNET_N, modelIdentity } from '../detect/model-file';
import { PPOCR_V4_DET, TEXT_MODEL_ID } from '../text/model';
import { leakCheckResultSchema, type LeakCheckResult, type LeakCheckSettings } from '../leak-check/leak-check';
import { countOf } from '../../common/count-of';

/**
 * What an export records beyond pixels and hashes, for disclosure: who exported it for which case, to
 * whom it is disclosed and why,
 * every redaction with its time range, reason and decision maker, the audio redactions, how much of
 * the clip the reviewer watched, the leak check, the models, and the head of the audit trail.
 * Everything here is inside the report's seal.
 */

/** What the caller (app or command line) tells export about the case and the review. */
export interface ExportEvidence {
  /** Defaults to the OS user. */
  operator?: string;
  caseReference?: string;
  /** Who the copy is disclosed to, and why (the ICO asks that both be recorded with the date). */
  recipient?: string;
  purpose?: string;
  /** The configured reason list; defaults to DEFAULT_REASONS. */
  reasons?: readonly ReasonCode[];
  /**
   * The review as the app recorded it. When given, an export with frames unwatched or proposals
   * undecided is refused unless `confirmation` gives a reason (issue 4: explicit confirmation).
   */
  review?: { watched: WatchedFrames; confirmation?: { reason: string; by?: string; at?: string } };
  /** A confirmation reason given without recorded coverage (e.g. `redactor export --confirm-reason`). */
  confirmation?: { reason: string; by?: string; at?: string };
  /** The case's audit trail head at export time, so the report anchors the trail. */
  auditHead?: AuditHead;
  /** Run the leak check on the output before it is sealed. */
  leakCheck?: boolean | Partial<LeakCheckSettings>;
}

/**
 * The app sends evidence through `exportEvidenceSchema` (common/api.ts), which cannot import this
 * Node-side type: the two must name the same fields, or the build fails here.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const evidenceRequestMatches: SameKeys<ExportEvidence, ExportEvidenceRequest> = true;
void evidenceRequestMatches;

const frameRange = z.tuple([z.number().int(), z.number().int()]);
const confirmationSchema = z.object({ reason: z.string().min(1), by: z.string(), at: z.string() }).strict();

export const redactionEntrySchema = z
  .object({
    trackId: z.string(),
    label: z.string(),
    shape: z.string(),
    style: z.string(),
    decision: z.enum(['proposed', 'redact', 'keep']),
    redacted: z.boolean(),
    reason: z.string(),
    reasonText: z.string().optional(),
    reasonLabel: z.string(),
    origin: z.enum(['detected', 'manual']),
    detector: z.string().optional(),
    createdBy: z.string().optional(),
    editedBy: z.array(z.string()).optional(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    /** Marked as the requester in a subject access export (shown, not redacted); absent otherwise. */
    requester: z.boolean().optional(),
    /** Source frames, inclusive; null for a track that never shows a region. */
    firstFrame: z.number().int().nullable(),
    lastFrame: z.number().int().nullable(),
    start: z.string().nullable(),
    end: z.string().nullable(),
  })
  .strict();

const frameSpan = z.object({ startFrame: z.number().int(), endFrame: z.number().int() }).strict();

export const subjectAccessReportSchema = z
  .object({
    mode: z.enum(SUBJECT_MODES),
    requestRef: z.string(),
    /** Fraction of each requester box added at every side. */
    padding: z.number(),
    absent: z.enum(['redact', 'cut']),
    requesterRegions: z.array(z.object({ trackId: z.string(), firstFrame: z.number().int().nullable(), lastFrame: z.number().int().nullable(), start: z.string().nullable(), end: z.string().nullable() }).strict()),
    /** Every other region, redacted whatever its decision. */
    hiddenRegions: z.array(z.string()),
    /** In words: what the export hid. */
    hidden: z.string(),
    frames: z.object({ exported: z.number().int(), withRequester: z.number().int(), redactedWhole: z.number().int() }).strict(),
    /** Frames without the requester cut from the ends, or null. */
    cut: z.object({ from: frameSpan, to: frameSpan, framesCut: z.number().int() }).strict().nullable(),
    sound: z
      .object({
        kept: z.enum(['speech', 'all', 'no sound']),
        reason: z.string().nullable(),
        speech: z.array(z.object({ startSeconds: z.number(), endSeconds: z.number(), start: z.string(), end: z.string() }).strict()),
      })
      .strict(),
  })
  .strict();

export type SubjectAccessReport = z.infer<typeof subjectAccessReportSchema>;

/** What the export measured of a subject access export, for its report. */
export interface SubjectAccessOutcome {
  cut: { from: { startFrame: number; endFrame: number }; to: { startFrame: number; endFrame: number } } | null;
  frames: { exported: number; withRequester: number; redactedWhole: number };
  hasSound: boolean;
}

export const evidenceFieldsSchema = z
  .object({
    disclosure: z
      .object({
        caseReference: z.string().nullable(),
        operator: z.string(),
        /** Who it is disclosed to, and why; absent in earlier reports. */
        recipient: z.string().nullable().optional(),
        purpose: z.string().nullable().optional(),
        reasons: z.array(reasonCodeSchema),
        /** Reasons a region may be kept (common/reasons.ts KEEP_REASONS); absent in earlier reports. */
        keepReasons: z.array(reasonCodeSchema).optional(),
      })
      .strict(),
    redactions: z.array(redactionEntrySchema),
    audioRedactions: z.array(
      z
        .object({
          id: z.string(),
          mode: z.enum(['mute', 'bleep']),
          startSeconds: z.number(),
          endSeconds: z.number(),
          start: z.string(),
          end: z.string(),
          reason: z.string(),
          reasonText: z.string().optional(),
          reasonLabel: z.string(),
          decidedBy: z.string().optional(),
        })
        .strict(),
    ),
    review: z
      .object({
        /** False when no coverage was recorded (the command line); the share is then unknown. */
        recorded: z.boolean(),
        frameCount: z.number().int(),
        framesWatched: z.number().int().nullable(),
        shareWatched: z.number().nullable(),
        unwatched: z.array(frameRange),
        undecided: z.array(z.object({ trackId: z.string(), label: z.string(), firstFrame: z.number().int().nullable(), lastFrame: z.number().int().nullable() }).strict()),
        complete: z.boolean(),
        confirmation: confirmationSchema.nullable(),
      })
      .strict(),
    leakCheck: leakCheckResultSchema.nullable(),
    models: z.array(z.object({ name: z.string(), sha256: z.string(), usedFor: z.array(z.string()) }).strict()),
    audit: z.object({ head: auditHeadSchema }).strict().nullable(),
    /** A subject access export (issue 22): what was shown and what hidden; null for other exports. */
    subjectAccess: subjectAccessReportSchema.nullable(),
  })
  .strict();

export type EvidenceFields = z.infer<typeof evidenceFieldsSchema>;

export function defaultOperator(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Refuses an export whose recorded review is incomplete and unconfirmed. Called before any work, so
 * the app can warn, ask for a reason, and call export again with it.
 */
export function assertReviewConfirmed(plan: RedactionPlan, evidence: ExportEvidence | undefined): void {
  if (!evidence?.review) return;
  const s = reviewState(plan, evidence.review.watched);
  if (s.complete || evidence.review.confirmation?.reason.trim()) return;
  const parts = [];
  if (s.framesWatched !== s.frameCount) parts.push(`${s.frameCount - (s.framesWatched ?? 0)} of ${s.frameCount} frames not watched`);
  if (s.undecided.length) parts.push(`${countOf(s.undecided.length, 'proposal')} undecided`);
  throw new UserError('plan', `the review is incomplete (${parts.join(', ')}): confirm with a reason to export anyway`);
}

/** Builds the evidential fields of the report (pure apart from the default operator). */
export function evidenceFields(plan: RedactionPlan, evidence: ExportEvidence = {}, leak: LeakCheckResult | null = null, subject: SubjectAccessOutcome | null = null): EvidenceFields {
  const reasons = [...(evidence.reasons ?? DEFAULT_REASONS)];
  const operator = evidence.operator?.trim() || defaultOperator();
  const v = plan.source.video;
  const clock = constantRateClock(v.frameRate.num > 0 ? v.frameRate : { num: 30, den: 1 }, v.frameCount);
  const tc = (k: number) => `${formatTimecode(k, v.frameRate.num > 0 ? v.frameRate : { num: 30, den: 1 })} (${formatMediaTime(clock.timeOfFrame(k))})`;
  const lastFrame = v.frameCount - 1;
  const styleName = (s: RedactionPlan['output']['style']) => (s.kind === 'solid' ? `solid ${s.fill}` : s.kind);
  const redactions = plan.tracks.map((t) => {
    const span = trackSpan(t, lastFrame);
    return {
      trackId: t.id,
      label: t.label,
      shape: t.shape,
      style: styleName(t.style ?? plan.output.style),
      decision: t.decision,
      redacted: redactedInExport(t, plan.subject),
      ...(plan.subject && t.requester ? { requester: true } : {}),
      reason: t.reason,
      ...(t.reasonText ? { reasonText: t.reasonText } : {}),
      reasonLabel: describeReason(reasonsForDecision(reasons, t.decision), t.reason, t.reasonText),
      origin: t.provenance.origin,
      ...(t.provenance.detector ? { detector: t.provenance.detector } : {}),
      ...(t.provenance.createdBy ? { createdBy: t.provenance.createdBy } : {}),
      ...(t.provenance.editedBy?.length ? { editedBy: t.provenance.editedBy } : {}),
      ...(t.decidedBy ? { decidedBy: t.decidedBy } : {}),
      ...(t.decidedAt ? { decidedAt: t.decidedAt } : {}),
      firstFrame: span?.first ?? null,
      lastFrame: span?.last ?? null,
      start: span ? tc(span.first) : null,
      end: span ? tc(span.last) : null,
    };
  });
  const audioRedactions = plan.audio.map((a) => ({
    id: a.id,
    mode: a.mode,
    startSeconds: a.start,
    endSeconds: a.end,
    start: formatMediaTime(a.start),
    end: formatMediaTime(a.end),
    reason: a.reason,
    ...(a.reasonText ? { reasonText: a.reasonText } : {}),
    reasonLabel: describeReason(reasons, a.reason, a.reasonText),
    ...(a.decidedBy ? { decidedBy: a.decidedBy } : {}),
  }));
  const state = reviewState(plan, evidence.review?.watched);
  const given = evidence.review?.confirmation ?? evidence.confirmation;
  const confirmation = given?.reason.trim() ? { reason: given.reason.trim(), by: given.by?.trim() || operator, at: given.at ?? new Date().toISOString() } : null;
  const usedFor = new Set<string>();
  if (plan.tracks.some((t) => t.provenance.detector?.startsWith(modelIdentity()))) usedFor.add('detection');
  if (leak) usedFor.add('leak check');
  return {
    disclosure: {
      caseReference: evidence.caseReference?.trim() || null,
      operator,
      recipient: evidence.recipient?.trim() || null,
      purpose: evidence.purpose?.trim() || null,
      reasons,
      keepReasons: [...KEEP_REASONS],
    },
    redactions,
    audioRedactions,
    review: { ...state, confirmation },
    leakCheck: leak,
    models: [
      ...(usedFor.size ? [{ name: modelIdentity(), sha256: YUNET_N.sha256, usedFor: [...usedFor] }] : []),
      // Text regions are found by their own model: named when any text proposal is in the plan.
      ...(plan.tracks.some((t) => t.provenance.detector?.startsWith(`${TEXT_MODEL_ID} `)) ? [{ name: TEXT_MODEL_ID, sha256: PPOCR_V4_DET.sha256, usedFor: ['text detection'] }] : []),
    ],
    audit: evidence.auditHead ? { head: evidence.auditHead } : null,
    subjectAccess: plan.subject && subject ? subjectAccessFields(plan, plan.subject, subject, redactions, styleName(plan.output.style)) : null,
  };
}

function subjectAccessFields(
  plan: RedactionPlan,
  s: SubjectAccess,
  outcome: SubjectAccessOutcome,
  entries: ReadonlyArray<{ trackId: string; firstFrame: number | null; lastFrame: number | null; start: string | null; end: string | null }>,
  style: string,
): SubjectAccessReport {
  const requesterIds = new Set(requesterTracks(plan.tracks).map((t) => t.id));
  const hiddenRegions = plan.tracks.filter((t) => !requesterIds.has(t.id)).map((t) => t.id);
  const padding = s.padding ?? 0;
  const padded = padding ? ` (padded by ${Math.round(padding * 100)}% of their size at each side)` : '';
  const others = hiddenRegions.length ? `${countOf(hiddenRegions.length, 'other region')}, whatever ${hiddenRegions.length === 1 ? 'its decision' : 'their decisions'}` : 'no other region (none was marked)';
  const hidden =
    s.mode === 'everything-else'
      ? `the whole picture outside the requester's ${countOf(requesterIds.size, 'region')}${padded}, ${style}, and on top ${others}; ${countOf(outcome.frames.redactedWhole, 'frame')} without the requester redacted whole`
      : `${others} (${style} unless a region has its own style); the rest of the picture is shown`;
  const sound = !outcome.hasSound
    ? { kept: 'no sound' as const, reason: null, speech: [] }
    : s.sound?.keep === 'all'
      ? { kept: 'all' as const, reason: s.sound.reason, speech: [] }
      : {
          kept: 'speech' as const,
          reason: null,
          speech: (s.sound?.speech ?? []).map((r) => ({ startSeconds: r.start, endSeconds: r.end, start: formatMediaTime(r.start), end: formatMediaTime(r.end) })),
        };
  const cut = outcome.cut
    ? { ...outcome.cut, framesCut: outcome.cut.from.endFrame - outcome.cut.from.startFrame - (outcome.cut.to.endFrame - outcome.cut.to.startFrame) }
    : null;
  return {
    mode: s.mode,
    requestRef: s.requestRef,
    padding,
    absent: s.absent ?? 'redact',
    requesterRegions: entries.filter((e) => requesterIds.has(e.trackId)).map((e) => ({ trackId: e.trackId, firstFrame: e.firstFrame, lastFrame: e.lastFrame, start: e.start, end: e.end })),
    hiddenRegions,
    hidden,
    frames: outcome.frames,
    cut,
    sound,
  };
}
