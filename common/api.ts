import { DETECT_KINDS } from './detect-kinds';
import { z } from 'zod';
import { auditHeadSchema, auditTrailSchema } from './audit-chain';
import { caseFileSchema } from './case-file';
import { CASE_WORK_KEY } from './case-work-key';
import { planSchema, trackSchema, videoFactsSchema } from './plan';
import { reasonCodeSchema } from './reasons';
import { progressUnits } from './progress';

/**
 * The one API between the renderer and the process that owns files, ffmpeg and detection (Electron's
 * main process, or the end-to-end harness). Cases live in the renderer's IndexedDB; the other side
 * only ever touches files the user chose in a dialog or dropped on the window.
 *
 * Every request and response has a zod schema here. The receiving side checks size and nesting first
 * (cheap, before zod walks anything), then the schema, then whether each path was opened by the user.
 * Transport: one `invoke(method, request)` returning an envelope, plus one stream of events.
 */

export const API_CHANNELS = {
  invoke: 'redactor:invoke',
  event: 'redactor:event',
  drop: 'redactor:drop',
} as const;

/** Largest request accepted, as JSON text. A plan for hours of footage fits; junk is refused early. */
export const MAX_REQUEST_CHARS = 64 * 1024 * 1024;
/** Deepest nesting accepted. A plan is at most 6 levels deep. */
export const MAX_REQUEST_DEPTH = 16;
export const MAX_PATH_CHARS = 4096;

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, - or _');
const caseKey = z.string().regex(CASE_WORK_KEY, 'must be a case key (32 hex digits)');
/** An absolute path, as the OS gave it to a dialog. Whether it was opened is checked later. */
export const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path');

export const openedFileSchema = z.object({ path: pathSchema, name: z.string().max(1000), size: z.number().int().min(0) }).strict();
export type OpenedFile = z.infer<typeof openedFileSchema>;

/** What the renderer needs to know about a clip: the plan's facts plus what the player needs. */
export const clipFactsSchema = z
  .object({
    name: z.string().max(1000),
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The container as ffprobe names it (a case file records it); absent on clips stored before it was kept. */
    formatName: z.string().max(1000).optional(),
    video: videoFactsSchema,
    hasAudio: z.boolean(),
    durationSeconds: z.number().finite().min(0),
    rotation: z.number().int(),
    /** Presentation time of every frame in seconds from the first frame: frame-exact stepping, also for VFR. */
    frameTimes: z.array(z.number().finite()).max(50_000_000),
    /** Whether Chromium can play the original; if not, the renderer asks for a proxy. */
    playable: z.boolean(),
    /**
     * The player's media time of the first frame (frameTimes count from it), playing the original or
     * its playable copy. Not 0 when the picture starts after the sound or the file's clock starts late.
     * Absent on clips stored before it was kept: 0.
     */
    playerStart: z.object({ original: z.number().finite(), copy: z.number().finite() }).strict().optional(),
  })
  .strict();
export type ClipFacts = z.infer<typeof clipFactsSchema>;

export const detectOptionsSchema = z
  .object({
    every: z.number().int().min(1).max(300).optional(),
    threshold: z.number().min(0.01).max(0.99).optional(),
    /** What to look for; absent: both faces and text. */
    find: z
      .array(z.enum(DETECT_KINDS))
      .min(1)
      .refine((kinds) => new Set(kinds).size === kinds.length, 'each kind once')
      .optional(),
  })
  .strict();

export const verifyResultSchema = z
  .object({
    ok: z.boolean(),
    outputPath: z.string(),
    reportPath: z.string(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() }).strict()),
  })
  .strict();

const empty = z.object({}).strict();

/**
 * What re-hashing found for one clip of a case file (engine/case/case-file.ts `checkCaseClips`):
 * the path it was looked for at, and, for a clip that matches, its facts for the player.
 */
export const caseClipCheckSchema = z
  .object({
    clipId: z.string().min(1).max(200),
    path: z.string().max(MAX_PATH_CHARS),
    status: z.enum(['matches', 'hash-differs', 'missing']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    size: z.number().int().min(0).optional(),
    detail: z.string().max(10_000),
    facts: clipFactsSchema.optional(),
  })
  .strict()
  .refine((c) => (c.status === 'matches') === !!c.facts, 'facts come with a matching clip, and only with one');
export type CaseClipCheckResult = z.infer<typeof caseClipCheckSchema>;

const confirmationSchema = z.object({ reason: z.string().trim().min(1).max(2000), by: z.string().max(200).optional(), at: z.string().max(40).optional() }).strict();
const watchedInterval = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => b >= a, 'interval must end at or after it starts');

/**
 * What the app tells export about the case and the review (mirrors ExportEvidence in
 * engine/report/evidence.ts): it all goes into the sealed report.
 */
export const exportEvidenceSchema = z
  .object({
    operator: z.string().trim().min(1).max(200).optional(),
    caseReference: z.string().max(200).optional(),
    /** Who the copy is disclosed to, and why (ICO: record who it was provided to and why). */
    recipient: z.string().trim().min(1).max(200).optional(),
    purpose: z.string().trim().min(1).max(2000).optional(),
    reasons: z.array(reasonCodeSchema).min(1).max(1000).optional(),
    /** Frames watched (inclusive source-frame intervals) and, when incomplete, the confirmation. */
    review: z.object({ watched: z.array(watchedInterval).max(1_000_000), confirmation: confirmationSchema.optional() }).strict().optional(),
    confirmation: confirmationSchema.optional(),
    auditHead: auditHeadSchema.optional(),
    leakCheck: z.boolean().optional(),
  })
  .strict();
export type ExportEvidenceRequest = z.infer<typeof exportEvidenceSchema>;

/**
 * The leak check's findings as the app shows them (the sealed report holds the full result): faces
 * detected in the output outside every redacted region, by output and source frame. `leaks` lists at
 * most the report's own limit; `leakCount` is exact.
 */
export const leakFindingsSchema = z
  .object({
    clean: z.boolean(),
    framesChecked: z.number().int().min(0),
    leakCount: z.number().int().min(0),
    /** Faces inside regions kept on purpose: not leaks, counted apart (absent from older results). */
    insideKept: z.number().int().min(0).optional(),
    leaks: z
      .array(
        z
          .object({
            outputFrame: z.number().int().min(0),
            sourceFrame: z.number().int().min(0),
            box: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }).strict(),
            score: z.number(),
          })
          .strict(),
      )
      .max(100_000),
  })
  .strict();
export type LeakFindings = z.infer<typeof leakFindingsSchema>;

/** What a detection run found: its proposals, and the detector with its settings (provenance). */
const detectResultSchema = z.object({ tracks: z.array(trackSchema), detector: z.string() }).strict();

/** What an export wrote. `leakCheck` is null when the leak check did not run. */
/** What a subject access export showed and hid, for the audit trail's export event (the report holds the rest). */
const subjectAccessOutcomeSchema = z
  .object({
    mode: z.string().max(40),
    requestRef: z.string().max(200),
    requesterRegions: z.array(z.string().max(200)).max(1000),
    hiddenRegions: z.array(z.string().max(200)).max(100_000),
    hidden: z.string().max(10_000),
    sound: z.string().max(2000),
    cut: z.object({ startFrame: z.number().int(), endFrame: z.number().int() }).strict().nullable(),
  })
  .strict();

const exportResultSchema = z
  .object({
    outputPath: z.string(),
    reportPath: z.string(),
    sha256: z.string(),
    frames: z.number(),
    leakCheck: leakFindingsSchema.nullable(),
    warnings: z.array(z.string().max(10_000)).max(100),
    subjectAccess: subjectAccessOutcomeSchema.nullable().optional(),
  })
  .strict();

/** Every method: its request and response schemas. */
export const API = {
  /** Who is at the keyboard (the OS user, the default operator name) and the tool's version, for the audit trail. */
  appInfo: { request: empty, response: z.object({ userName: z.string().min(1).max(200), toolVersion: z.string().min(1).max(100) }).strict() },
  openVideoDialog: { request: empty, response: z.object({ files: z.array(openedFileSchema) }).strict() },
  chooseExportPath: {
    request: z.object({ suggestedName: z.string().min(1).max(255).regex(/^[^\\/\0]+$/, 'must be a file name, not a path') }).strict(),
    response: z.object({ path: pathSchema.nullable() }).strict(),
  },
  importClip: { request: z.object({ jobId, path: pathSchema }).strict(), response: clipFactsSchema },
  mediaUrl: { request: z.object({ path: pathSchema }).strict(), response: z.object({ url: z.string() }).strict() },
  /** A playable copy, written in the case's working folder in the app's data folder (never beside the original). */
  makeProxy: { request: z.object({ jobId, path: pathSchema, caseKey }).strict(), response: z.object({ proxyPath: pathSchema }).strict() },
  detect: {
    request: z.object({ jobId, path: pathSchema, options: detectOptionsSchema }).strict(),
    response: detectResultSchema,
  },
  /**
   * The result of a detection run started earlier, by its job id: for a page reloaded while the run
   * went on (the reply to `detect` went with the old page). Waits while the run goes on; fails as the
   * run failed; `result` is null when the run is not known (the app was restarted since).
   */
  detectionResult: { request: z.object({ jobId }).strict(), response: z.object({ result: detectResultSchema.nullable() }).strict() },
  /**
   * Where the player's clock puts the first frame, for the file and for a playable copy
   * (ClipFacts.playerStart): for clips stored before it was kept, filled in when they are opened.
   */
  playerStart: { request: z.object({ path: pathSchema }).strict(), response: z.object({ original: z.number().finite(), copy: z.number().finite() }).strict() },
  audioPeaks: {
    request: z.object({ jobId, path: pathSchema }).strict(),
    /** peaks[i] covers bucketSeconds from startSeconds + i·bucketSeconds, counted from the first frame. */
    response: z.object({ bucketSeconds: z.number().positive(), startSeconds: z.number().finite(), peaks: z.array(z.number().min(0).max(1)).max(100_000) }).strict(),
  },
  thumbnails: {
    request: z.object({ jobId, path: pathSchema, count: z.number().int().min(1).max(200), height: z.number().int().min(16).max(180) }).strict(),
    response: z.object({ intervalSeconds: z.number().positive(), images: z.array(z.string().startsWith('data:image/jpeg;base64,').max(200_000)).max(200) }).strict(),
  },
  /**
   * Assisted tracking: follows the content of `box` (source px) at `frame` forward or back until it is
   * lost, a shot cut, the clip's end or `maxFrames`; progress and cancel by job id. `path` holds the box
   * at each frame followed, in frame order; `stopped` says why it ended.
   */
  followRegion: {
    request: z
      .object({
        jobId,
        path: pathSchema,
        frame: z.number().int().min(0),
        box: z.object({ x: z.number().finite(), y: z.number().finite(), w: z.number().finite().positive(), h: z.number().finite().positive() }).strict(),
        direction: z.enum(['forward', 'back']),
        maxFrames: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    response: z
      .object({
        path: z.array(z.object({ frame: z.number().int().min(0), x: z.number().finite(), y: z.number().finite(), w: z.number().finite().positive(), h: z.number().finite().positive() }).strict()).max(100_000),
        stopped: z.enum(['lost', 'cut', 'end', 'limit']),
      })
      .strict(),
  },
  cancel: { request: z.object({ jobId }).strict(), response: z.object({ cancelled: z.boolean() }).strict() },
  exportClip: {
    request: z.object({ jobId, sourcePath: pathSchema, plan: planSchema, outputPath: pathSchema, overwrite: z.boolean(), evidence: exportEvidenceSchema.optional() }).strict(),
    response: exportResultSchema,
  },
  /** As `detectionResult`, for an export: its result by job id, for a page reloaded while it ran. */
  exportResult: { request: z.object({ jobId }).strict(), response: z.object({ result: exportResultSchema.nullable() }).strict() },
  verify: { request: z.object({ path: pathSchema }).strict(), response: verifyResultSchema },
  /** Writes a case's audit trail to a file the user chose (`{ caseReference, head, events }`; `redactor verify --audit` reads it). */
  saveAuditTrail: {
    request: z.object({ path: pathSchema, caseReference: z.string().max(200), events: auditTrailSchema }).strict(),
    response: z.object({ path: z.string(), events: z.number().int(), head: auditHeadSchema }).strict(),
  },
  showInFolder: { request: z.object({ path: pathSchema }).strict(), response: empty },
  /** The open dialog for a case file; the chosen file may then be imported. */
  chooseCaseFile: { request: empty, response: z.object({ path: pathSchema.nullable() }).strict() },
  /**
   * Reads and validates a case file the user opened, refuses it if its audit trail is broken, then
   * re-hashes each clip (progress and cancel by job id) and reports each: matches, hash differs or
   * missing. Only clips that match become files the app may open.
   */
  importCaseFile: {
    request: z.object({ jobId, path: pathSchema }).strict(),
    response: z.object({ path: z.string(), caseFile: caseFileSchema, clips: z.array(caseClipCheckSchema) }).strict(),
  },
  /** Writes a case file to a path chosen in the save dialog; `savedAt` and `auditHead` are set on writing. Refuses a broken audit trail. */
  saveCaseFile: {
    request: z.object({ path: pathSchema, caseFile: caseFileSchema }).strict(),
    response: z.object({ path: z.string(), clips: z.number().int(), events: z.number().int(), head: auditHeadSchema }).strict(),
  },
  /**
   * A case is being deleted: its working files go (the case's folder in the app's data folder), and the
   * deletion is recorded in the app's deletion log, which outlives the case. Originals and exports are
   * never touched. `caseKey` is null for a case that never recorded an event (it made no files).
   * `copies` are the playable copies the case's clips name: those made before working files were kept
   * per case lie elsewhere in the data folder; any path outside the data folder is left alone.
   */
  deleteCaseFiles: {
    request: z.object({ caseKey: caseKey.nullable(), copies: z.array(pathSchema).max(100_000), caseReference: z.string().max(200), user: z.string().max(200), auditHead: auditHeadSchema }).strict(),
    response: z.object({ files: z.number().int(), bytes: z.number().int() }).strict(),
  },
  /** Writes the deletion log to a path from the save dialog. */
  saveDeletionLog: { request: z.object({ path: pathSchema }).strict(), response: z.object({ path: z.string(), entries: z.number().int() }).strict() },
} as const;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.infer<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof API)[M]['response']>;
export const API_METHODS = Object.keys(API) as ApiMethod[];

export const apiErrorCodes = ['invalid-request', 'forbidden-path', 'input', 'plan', 'output', 'tool', 'verify', 'cancelled', 'internal'] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** What crosses the wire for every call: errors are values, so their code and one-line message survive IPC. */
export type ApiEnvelope<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Progress and results of long jobs, pushed to the renderer. */
export const apiEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('progress'),
      jobId,
      phase: z.string().max(100),
      /** total 0: a step with nothing to count (probing), shown as under way. */
      done: z.number(),
      total: z.number(),
      unit: z.enum(progressUnits),
      rate: z.number(),
      etaSeconds: z.number().nullable(),
    })
    .strict(),
  z.object({ type: z.literal('proposals'), jobId, tracks: z.array(trackSchema) }).strict(),
  /** Detection's tracks so far, while it runs: shown, then replaced by the final `proposals`; never saved. */
  z.object({ type: z.literal('provisional-proposals'), jobId, framesDone: z.number().int().min(0), tracks: z.array(trackSchema).max(100_000) }).strict(),
  z.object({ type: z.literal('files-dropped'), files: z.array(openedFileSchema) }).strict(),
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;

/** What the preload (or the harness) puts on `window.redactor`: the transport, nothing else. */
export interface RedactorBridge {
  invoke(method: string, request: unknown): Promise<ApiEnvelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Depth of a JSON-like value, stopping as soon as it passes `limit` (a hostile value may be very deep). */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return false;
}

/**
 * Validates an incoming call: known method, JSON-sized and shallow enough, and matching the schema.
 * Throws ApiError('invalid-request') with one line naming the first fault.
 */
export function parseRequest<M extends ApiMethod>(method: unknown, request: unknown): { method: M; request: ApiRequest<M> } {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(API, method)) {
    throw new ApiError('invalid-request', `unknown method ${JSON.stringify(String(method).slice(0, 60))}`);
  }
  if (depthExceeds(request, MAX_REQUEST_DEPTH)) throw new ApiError('invalid-request', `${method}: request is nested deeper than ${MAX_REQUEST_DEPTH} levels`);
  let chars: number;
  try {
    chars = JSON.stringify(request ?? null).length;
  } catch {
    throw new ApiError('invalid-request', `${method}: request is not plain data`);
  }
  if (chars > MAX_REQUEST_CHARS) throw new ApiError('invalid-request', `${method}: request is too large (${chars} characters)`);
  const result = API[method as M].request.safeParse(request);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(request)';
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
    throw new ApiError('invalid-request', `${method}: ${where}: ${issue.message}${more}`);
  }
  return { method: method as M, request: result.data as ApiRequest<M> };
}
