import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { verifyChain } from '../../common/audit-chain';
import { ApiError, parseRequest, type ApiErrorCode, type ApiEnvelope, type ApiEvent, type ApiMethod, type ApiRequest, type ApiResponse, type ClipFacts } from '../../common/api';
import { PlanValidationError } from '../../common/plan';
import { detectVideo } from '../../engine/detect/detect-video';
import { UserError } from '../../engine/errors';
import { exportRedacted } from '../../engine/export/export';
import { AtomicOutput } from '../../engine/export/output-file';
import { writeAuditTrail } from '../../engine/case/audit-file';
import { appendDeletionLog, caseWorkDir, purgeCaseWork, readDeletionLog, removeWorkingCopies, writeDeletionLog } from '../../engine/case/work-files';
import { caseSealCheck, checkCaseClips, readSealedCaseFile, writeCaseFile } from '../../engine/case/case-file';
import { clipMembershipMismatches } from '../../common/trail-clips';
import { firstFew } from '../../common/first-few';
import { fileArg } from '../../engine/ffmpeg/quote';
import { runFfmpeg } from '../../engine/ffmpeg/run';
import { log } from '../../engine/log';
import { sha256File } from '../../engine/media/hash';
import { firstFrameOnFfmpegClock, firstFrameOnFileClock, probe, videoFacts, videoMap, type ProbeResult } from '../../engine/media/probe';
import { verifyExport } from '../../engine/report/verify';
import type { SubjectAccessReport } from '../../engine/report/evidence';
import { TOOL_VERSION } from '../../engine/version';
import { followRegion } from '../../engine/track/follow-region';
import { audioPeaks } from './audio-peaks';
import { describeFile, type FileRegistry } from './file-registry';
import { thumbnails } from './thumbnails';
import { Jobs } from './jobs';
import { KeptResults } from './kept-results';
import { jobProgress } from './job-progress';

/**
 * The API's implementation in plain Node (no `electron` import): Electron's main process and the
 * end-to-end harness both host it, and differ only in how dialogs open and events travel.
 */
export interface ServiceHost {
  /** Shows the open dialog; returns the chosen paths (empty if cancelled). */
  chooseVideos(): Promise<string[]>;
  chooseExportPath(suggestedName: string): Promise<string | null>;
  /** Shows the open dialog for a case file; null if cancelled. A host without one cannot open case files. */
  chooseCaseFile?(): Promise<string | null>;
  showInFolder(path: string): void;
  /** The URL under which the renderer can fetch a registered file by token. */
  mediaUrl(token: string): string;
  emit(event: ApiEvent): void;
  /** The app's data folder: working files go under `cases/<case key>/` (engine/case/work-files.ts), the deletion log beside. */
  dataDir: string;
  modelPath?: string;
  /** The text model file (packaged: under resources/models); default: found from the engine's folder. */
  textModelPath?: string;
  /** How often detection sends provisional proposals (defaults: engine/detect/detect-video.ts). */
  provisional?: { everyFrames?: number; minIntervalMs?: number };
}

/** A subject access export's record, short, for the audit trail (the sealed report holds it whole). */
function subjectOutcome(sa: SubjectAccessReport | null) {
  if (!sa) return null;
  const sound = sa.sound.kept === 'all' ? `all kept: ${sa.sound.reason}` : sa.sound.kept === 'speech' ? `kept only in ${sa.sound.speech.length} speech range(s)` : 'no sound';
  return { mode: sa.mode, requestRef: sa.requestRef, requesterRegions: sa.requesterRegions.map((r) => r.trackId), hiddenRegions: sa.hiddenRegions, hidden: sa.hidden, sound, cut: sa.cut?.to ?? null };
}

/** Codecs and containers Chromium plays without help; anything else gets a proxy. */
const PLAYABLE_CODECS = new Set(['h264', 'vp8', 'vp9', 'av1']);
const PLAYABLE_CONTAINERS = /mp4|mov|webm|matroska/;
const PLAYABLE_PIXELS = new Set(['yuv420p', 'yuvj420p']);

export function isPlayable(p: ProbeResult): boolean {
  return PLAYABLE_CODECS.has(p.video.codec) && PLAYABLE_CONTAINERS.test(p.formatName) && PLAYABLE_PIXELS.has(p.video.pixelFormat);
}

export function clipFacts(p: ProbeResult, sha256: string): ClipFacts {
  const v = p.video;
  const tb = v.timeBase.num / v.timeBase.den;
  const first = p.framePts[0] ?? 0;
  return {
    name: basename(p.path),
    size: p.size,
    sha256,
    formatName: p.formatName,
    video: videoFacts(p),
    hasAudio: p.audio.length > 0,
    durationSeconds: p.durationSeconds,
    rotation: v.rotation,
    frameTimes: p.framePts.map((pts) => (pts - first) * tb),
    playable: isPlayable(p),
    playerStart: playerStartOf(p),
  };
}

/**
 * Chromium keeps a file's own time stamps (a positive start is not moved to 0); the playable copy is
 * written by ffmpeg, which counts from the source's earliest stream (makeProxy).
 */
function playerStartOf(p: ProbeResult): NonNullable<ClipFacts['playerStart']> {
  return { original: firstFrameOnFileClock(p), copy: firstFrameOnFfmpegClock(p) };
}

type Handlers = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResponse<M>> };

export class AppServices {
  readonly jobs = new Jobs();
  /** Detection and export results, for a page that reloaded while its job went on (`detectionResult`, `exportResult`). */
  private readonly detections = new KeptResults<ApiResponse<'detect'>>();
  private readonly exports = new KeptResults<ApiResponse<'exportClip'>>();
  private readonly probes = new Map<string, ProbeResult>();

  constructor(
    readonly files: FileRegistry,
    private readonly host: ServiceHost,
  ) {}

  /** The single entry point for every message from the renderer: validate, run, wrap. */
  async invoke(method: unknown, request: unknown): Promise<ApiEnvelope<unknown>> {
    try {
      const parsed = parseRequest(method, request);
      const handler = this.handlers[parsed.method] as (r: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.request) };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  /** Paths from a drop on the window: registered like dialog choices. */
  registerDropped(paths: unknown): void {
    if (!Array.isArray(paths) || paths.length > 1000) return;
    const files = [];
    for (const p of paths) {
      if (typeof p !== 'string' || !p || p.length > 4096) continue;
      try {
        const file = describeFile(p);
        this.files.add(file.path, 'input');
        files.push(file);
      } catch {
        // A dropped folder or vanished file is simply not offered.
      }
    }
    if (files.length) this.host.emit({ type: 'files-dropped', files });
  }

  private progressOf(jobId: string) {
    return jobProgress((e) => this.host.emit(e), jobId);
  }

  private async probeCached(path: string, signal?: AbortSignal): Promise<ProbeResult> {
    const cached = this.probes.get(path);
    if (cached) return cached;
    const p = await probe(path, signal);
    this.probes.set(path, p);
    return p;
  }

  private readonly handlers: Handlers = {
    appInfo: async () => ({ userName: osUserName(), toolVersion: TOOL_VERSION }),
    openVideoDialog: async () => {
      const paths = await this.host.chooseVideos();
      return { files: paths.map((p) => { this.files.add(p, 'input'); return describeFile(p); }) };
    },
    chooseExportPath: async ({ suggestedName }) => {
      const path = await this.host.chooseExportPath(suggestedName);
      if (path) this.files.add(path, 'output');
      return { path };
    },
    importClip: async ({ jobId, path }) => {
      const abs = this.files.require(path, 'input', 'import');
      const progress = this.progressOf(jobId);
      return this.jobs.run(jobId, async (signal) => {
        progress.step('probing');
        this.probes.delete(abs);
        const p = await this.probeCached(abs, signal);
        const sha = await sha256File(abs, {
          signal,
          size: p.size,
          onProgress: (h) => progress.count('hashing', 'bytes', h.bytesDone, h.bytesTotal),
        });
        return clipFacts(p, sha);
      });
    },
    mediaUrl: async ({ path }) => {
      const abs = this.files.require(path, 'input', 'play');
      return { url: this.host.mediaUrl(this.files.token(abs)) };
    },
    makeProxy: async ({ jobId, path, caseKey }) => {
      const abs = this.files.require(path, 'input', 'proxy');
      const progress = this.progressOf(jobId);
      return this.jobs.run(jobId, async (signal) => {
        progress.step('probing');
        const p = await this.probeCached(abs, signal);
        const dir = join(caseWorkDir(this.host.dataDir, caseKey), 'proxies');
        mkdirSync(dir, { recursive: true });
        const out = join(dir, `${this.files.token(abs)}.proxy.mp4`);
        // Written beside its place and renamed when whole: a cancelled or failed copy leaves nothing.
        const output = new AtomicOutput(out, { overwrite: true, protect: this.files.inputs() });
        // A playback copy only: redaction and export always read the original. Every frame keeps its
        // time stamp in the source's own time base (ClipFacts.playerStart.copy counts on it); ffmpeg
        // counts them from the source's earliest stream.
        const run = runFfmpeg({
          args: ['-v', 'error', '-y', '-i', fileArg(abs), '-map', videoMap(p), '-map', '0:a:0?', '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', '-f', 'mp4', fileArg(output.tempPath)],
          signal,
          onProgress: (f) => progress.count('making a playable copy', 'seconds', f.outTimeSeconds ?? 0, p.durationSeconds),
        });
        try {
          await run.done;
          output.commit();
        } finally {
          output.discard();
        }
        this.files.add(out, 'input');
        return { proxyPath: out };
      });
    },
    detect: async ({ jobId, path, options }) => {
      const abs = this.files.require(path, 'input', 'detect');
      const progress = this.progressOf(jobId);
      const run = this.jobs.run(jobId, async (signal) => {
        const p = await this.probeCached(abs, signal);
        const result = await detectVideo(p, {
          signal,
          modelPath: this.host.modelPath,
          textModelPath: this.host.textModelPath,
          settings: { ...(options.every ? { every: options.every } : {}), ...(options.find ? { find: options.find } : {}), detector: options.threshold ? { scoreThreshold: options.threshold } : {} },
          onProgress: (d) => progress.figures('detecting', d),
          provisional: this.host.provisional,
          onProvisional: (p) => this.host.emit({ type: 'provisional-proposals', jobId, framesDone: p.framesDone, tracks: p.tracks }),
        });
        this.host.emit({ type: 'proposals', jobId, tracks: result.tracks });
        return { tracks: result.tracks, detector: result.detector };
      });
      return this.detections.keep(jobId, run);
    },
    detectionResult: async ({ jobId }) => ({ result: (await this.detections.get(jobId)) ?? null }),
    playerStart: async ({ path }) => {
      return playerStartOf(await this.probeCached(this.files.require(path, 'input', 'player start')));
    },
    audioPeaks: async ({ jobId, path }) => {
      const abs = this.files.require(path, 'input', 'waveform');
      return this.jobs.run(jobId, async (signal) => {
        const p = await this.probeCached(abs, signal);
        if (!p.audio.length) return { bucketSeconds: 1, startSeconds: 0, peaks: [] };
        // The sound may begin before or after the picture; the timeline counts from the first frame.
        const startSeconds = p.audio[0]!.startSeconds - firstFrameOnFileClock(p);
        return { ...(await audioPeaks(abs, p.durationSeconds, signal)), startSeconds };
      });
    },
    thumbnails: async ({ jobId, path, count, height }) => {
      const abs = this.files.require(path, 'input', 'thumbnails');
      return this.jobs.run(jobId, async (signal) => {
        const p = await this.probeCached(abs, signal);
        return thumbnails(abs, { index: p.video.index, durationSeconds: p.durationSeconds }, count, height, signal);
      });
    },
    followRegion: async ({ jobId, path, frame, box, direction, maxFrames }) => {
      const abs = this.files.require(path, 'input', 'tracking');
      const progress = this.progressOf(jobId);
      return this.jobs.run(jobId, async (signal) => {
        const p = await this.probeCached(abs, signal);
        return followRegion(p, { startFrame: frame, box, direction, ...(maxFrames ? { maxFrames } : {}), signal, onProgress: (d) => progress.figures('tracking', d) });
      });
    },
    cancel: async ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
    exportClip: async ({ jobId, sourcePath, plan, outputPath, overwrite, evidence }) => {
      const src = this.files.require(sourcePath, 'input', 'export source');
      const out = this.files.require(outputPath, 'output', 'export output');
      const progress = this.progressOf(jobId);
      const run = this.jobs.run(jobId, async (signal) => {
        const result = await exportRedacted({
          sourcePath: src,
          plan,
          outputPath: out,
          overwrite,
          protect: this.files.inputs(),
          ...(evidence ? { evidence } : {}),
          signal,
          onProgress: (e) => progress.figures(e.phase, e),
        });
        const leak = result.report.leakCheck;
        return {
          outputPath: result.outputPath,
          reportPath: result.reportPath,
          sha256: result.report.output.sha256,
          frames: result.report.output.frameCount,
          leakCheck: leak ? { clean: leak.clean, framesChecked: leak.framesChecked, leakCount: leak.leakCount, ...(leak.insideKept ? { insideKept: leak.insideKept } : {}), leaks: leak.leaks.map(({ outputFrame, sourceFrame, box, score }) => ({ outputFrame, sourceFrame, box, score })) } : null,
          // What the report warns of (sound or streams left out, padding, rotation), for the reviewer to see now.
          warnings: result.report.warnings,
          subjectAccess: subjectOutcome(result.report.subjectAccess ?? null),
        };
      });
      return this.exports.keep(jobId, run);
    },
    exportResult: async ({ jobId }) => ({ result: (await this.exports.get(jobId)) ?? null }),
    verify: async ({ path }) => {
      const abs = this.files.require(path, 'output', 'verify');
      return verifyExport(abs);
    },
    saveAuditTrail: async ({ path, caseReference, events }) => {
      const out = this.files.require(path, 'output', 'save audit trail');
      // The save dialog asked before replacing a file; no original is ever replaced.
      const head = writeAuditTrail(out, { caseReference, events }, { overwrite: true, protect: this.files.inputs() });
      return { path: resolve(out), events: events.length, head };
    },
    deleteCaseFiles: async ({ caseKey, copies, caseReference, user, auditHead }) => {
      const removed = caseKey ? purgeCaseWork(this.host.dataDir, caseKey) : { dir: '', files: 0, bytes: 0 };
      if (removed.dir) this.files.forgetUnder(removed.dir);
      const older = removeWorkingCopies(this.host.dataDir, copies);
      for (const path of older.paths) this.files.forgetUnder(path);
      removed.files += older.paths.length;
      removed.bytes += older.bytes;
      // Results kept for a reloaded page hold the case's regions; they go with it.
      this.detections.clear();
      this.exports.clear();
      appendDeletionLog(this.host.dataDir, {
        action: 'deleted',
        caseReference,
        caseKey: caseKey ?? '0'.repeat(32),
        at: new Date().toISOString(),
        by: user,
        auditHead,
        workingFiles: { files: removed.files, bytes: removed.bytes },
      });
      return { files: removed.files, bytes: removed.bytes };
    },
    saveDeletionLog: async ({ path }) => {
      const out = this.files.require(path, 'output', 'save deletion log');
      const entries = readDeletionLog(this.host.dataDir);
      writeDeletionLog(out, entries, true);
      return { path: resolve(out), entries: entries.length };
    },
    showInFolder: async ({ path }) => {
      this.host.showInFolder(this.files.require(path, 'output', 'show in folder'));
      return {};
    },
    chooseCaseFile: async () => {
      const path = (await this.host.chooseCaseFile?.()) ?? null;
      if (path) this.files.add(path, 'input');
      return { path };
    },
    importCaseFile: async ({ jobId, path }) => {
      const abs = this.files.require(path, 'input', 'import case file');
      const progress = this.progressOf(jobId);
      return this.jobs.run(jobId, async (signal) => {
        progress.step('reading the case file');
        const { caseFile, seal } = readSealedCaseFile(abs);
        // A trail that does not verify, a broken seal or clips the trail never imported are refused before
        // any clip is read: nothing of the file is used.
        const refuse = (why: string) => new UserError('verify', `${basename(abs)} refused: ${why}. Ask for an unaltered copy of the case file.`);
        const chain = await verifyChain(caseFile.audit, caseFile.auditHead);
        if (!chain.intact) throw refuse(`its audit trail is not intact (${chain.problem}): ${chain.detail}`);
        if (seal === 'broken') throw refuse(caseSealCheck(seal).detail);
        const strangers = clipMembershipMismatches(caseFile.audit, caseFile.clips);
        if (strangers.length) throw refuse(`its clips are not those its audit trail imported: ${firstFew(strangers, 3)}`);
        const checks = await checkCaseClips(abs, caseFile, {
          signal,
          onProgress: (p) => progress.count(`hashing ${p.name}`, 'bytes', p.bytesDone, p.bytesTotal),
        });
        const clips = [];
        for (const check of checks) {
          if (check.status !== 'matches') {
            clips.push(check);
            continue;
          }
          // Only a clip that is the recorded file becomes one the app may open.
          this.probes.delete(check.path);
          const facts = clipFacts(await this.probeCached(check.path, signal), check.sha256!);
          this.files.add(check.path, 'input');
          clips.push({ ...check, facts });
        }
        return { path: abs, caseFile, clips };
      });
    },
    saveCaseFile: async ({ path, caseFile }) => {
      const out = this.files.require(path, 'output', 'save case file');
      const chain = await verifyChain(caseFile.audit);
      if (!chain.intact) {
        throw new UserError('verify', `case file not written: the case's audit trail is not intact (${chain.problem}): ${chain.detail}. Export the audit trail to examine it.`);
      }
      let saved;
      try {
        saved = writeCaseFile(out, caseFile, { overwrite: true, protect: this.files.inputs() });
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError('output', `cannot write the case file to ${out}: ${(err as Error).message}`);
      }
      return { path: resolve(out), clips: saved.clips.length, events: saved.audit.length, head: saved.auditHead };
    },
  };
}

/** The OS user's name (the default operator), from the account, else the environment. */
export function osUserName(): string {
  try {
    const name = userInfo().username;
    if (name) return name.slice(0, 200);
  } catch {
    // No passwd entry (e.g. a container's arbitrary uid): fall back to the environment.
  }
  return (process.env.USER || process.env.USERNAME || process.env.LOGNAME || 'unknown').slice(0, 200);
}

export function toApiError(err: unknown): { code: ApiErrorCode; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof UserError) return { code: err.code, message: err.message };
  if (err instanceof PlanValidationError) return { code: 'plan', message: err.message };
  log.error(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return { code: 'internal', message: `internal error: ${(err as Error)?.message ?? String(err)} (this is a bug; please report it)` };
}

