import { statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { RedactionPlan } from '../../common/plan';
import { trackSpan } from '../../common/track';
import { redactedInExport } from '../../common/subject-access';
import { CancelledError, UserError } from '../errors';
import { runFfmpeg, type FfmpegRun } from '../ffmpeg/run';
import { openStdoutReader, type StdoutReader } from '../ffmpeg/stdout-reader';
import { toolVersion } from '../ffmpeg/version';
import { log } from '../log';
import { sha256File } from '../media/hash';
import { probe, type ProbeResult } from '../media/probe';
import { assertReadableFile } from '../media/source-file';
import { reportPathFor, sealReport, serialiseReport, type ExportReport } from '../report/export-report';
import { assertReviewConfirmed, evidenceFields, type ExportEvidence } from '../report/evidence';
import { describeLeakCheck, leakCheck, type LeakCheckResult } from '../leak-check/leak-check';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { decoderArgs, encoderArgs, trimSeconds } from './ffmpeg-args';
import { FramePump } from './frame-pump';
import { FrameRenderer } from './frame-renderer';
import { subjectExportPlan } from './subject-export';
import { requireOutputContainer } from './output-container';
import { AtomicOutput, checkOutputPath, publishTogether, type OutputRules } from './output-file';
import { yuv420FrameSize } from './yuv-frame';
import { countOf } from '../../common/count-of';
import { firstFew } from '../../common/first-few';
import { progressMeter, type ProgressFigures, type ProgressUnit } from '../../common/progress';

export interface ExportProgress extends ProgressFigures {
  phase: 'checking source' | 'redacting' | 'hashing output' | 'checking for leaks';
}

const EXPORT_PHASE_UNITS: Record<ExportProgress['phase'], ProgressUnit> = { 'checking source': 'bytes', redacting: 'frames', 'hashing output': 'bytes', 'checking for leaks': 'frames' };

export interface ExportRequest {
  sourcePath: string;
  plan: RedactionPlan;
  outputPath: string;
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** A probe of the source made moments ago (e.g. by `auto`); saves a second read. */
  probed?: ProbeResult;
  /** Case, operator, review, audit head and leak check, recorded in the sealed report. */
  evidence?: ExportEvidence;
  /** The path the report should name, when the output is written into a folder renamed later (bundles). */
  reportedOutputPath?: string;
  /** Other originals the output and its report must never replace (a batch's other inputs, a case's clips); the source always is. */
  protect?: readonly string[];
}

export interface ExportResult {
  outputPath: string;
  reportPath: string;
  report: ExportReport;
}

/**
 * Exports a redacted copy of `sourcePath` as `plan` says, frame-exact:
 * ffmpeg decoder → NUT frames → regions drawn in yuv420p here → ffmpeg encoder.
 * The original is only ever read. The output and its report appear together, complete, or not at all.
 */
export async function exportRedacted(req: ExportRequest): Promise<ExportResult> {
  const startedAt = new Date();
  const { signal } = req;
  // A subject access export may cut the frames without the requester: the plan run (and reported) is trimmed.
  const { plan, cut } = subjectExportPlan(req.plan);
  // The output's extension names its container; one that would not keep the frames' time stamps is refused before any work.
  const container = requireOutputContainer(req.outputPath);
  const sourcePath = resolve(req.sourcePath);
  const sourceSize = assertReadableFile(sourcePath);
  // The clip and its report are checked alike before any work: neither may replace an original, nor
  // an existing file unless asked.
  const rules: OutputRules = { protect: [sourcePath, ...(req.protect ?? [])], overwrite: req.overwrite };
  checkOutputPath(req.outputPath, rules);
  checkOutputPath(reportPathFor(resolve(req.outputPath)), rules);
  const sourceStat = statSync(sourcePath);
  assertReviewConfirmed(plan, req.evidence);

  // The tools first: a wrong program in ffmpeg's place is a tool error before any work.
  const ffmpeg = await toolVersion('ffmpeg');
  // 1. The source must be the very file the plan was made for.
  const progress = makeProgress(req.onProgress);
  if (sourceSize !== plan.source.size) throw planMismatch(`its size is ${sourceSize} bytes, the plan expects ${plan.source.size}`);
  const sourceHash = await sha256File(sourcePath, {
    signal,
    size: sourceSize,
    onProgress: (p) => progress('checking source', p.bytesDone, p.bytesTotal),
  });
  if (sourceHash !== plan.source.sha256) throw planMismatch('its SHA-256 differs from the one in the plan');
  const probed = req.probed ?? (await probe(sourcePath, signal));
  const v = probed.video;
  const expected = plan.source.video;
  if (v.width !== expected.width || v.height !== expected.height || v.frameCount !== expected.frameCount) {
    throw planMismatch(`it is ${v.width}×${v.height} with ${v.frameCount} frames; the plan expects ${expected.width}×${expected.height} with ${expected.frameCount}`);
  }

  const output = new AtomicOutput(req.outputPath, rules);
  const report = new AtomicOutput(reportPathFor(output.finalPath), rules);
  const runs: FfmpegRun[] = [];
  let decoded: StdoutReader | null = null;
  try {
    const firstFrame = plan.trim?.startFrame ?? 0;
    const frameTotal = plan.trim ? plan.trim.endFrame - plan.trim.startFrame + 1 : v.frameCount;
    const renderer = new FrameRenderer(plan, v.width, v.height, v.colour);
    const pump = new FramePump({
      frameSize: yuv420FrameSize(v.width, v.height),
      render: (k, payload) => renderer.render(firstFrame + k, payload),
      onFrame: (k) => progress('redacting', k, frameTotal),
    });
    decoded = await openStdoutReader(pump);
    const decoder = runFfmpeg({ args: decoderArgs(sourcePath, plan, probed), signal, ...decoded.runOptions });
    runs.push(decoder);
    const frames = decoded.attach(decoder);
    const encoderPlan = encoderArgs(sourcePath, output.tempPath, plan, probed, container);
    const encoder = runFfmpeg({ args: encoderPlan.args, signal, stdin: true, onProgress: () => {} });
    runs.push(encoder);
    const stats = await pump.run(frames, decoder, encoder);
    await Promise.all([decoder.done, encoder.done]);
    if (signal?.aborted) throw new CancelledError('the export');
    if (stats.frames !== frameTotal) {
      throw new UserError('input', `decoded ${stats.frames} frames where the source has ${frameTotal}: the file may be damaged. Nothing was written.`);
    }
    assertSourceUnchanged(sourcePath, sourceStat);

    const outSize = statSync(output.tempPath).size;
    const outHash = await sha256File(output.tempPath, {
      signal,
      size: outSize,
      onProgress: (p) => progress('hashing output', p.bytesDone, p.bytesTotal),
    });
    // The leak check reads the finished (still hidden) output, so its result is sealed with the rest.
    const leakOption = req.evidence?.leakCheck;
    let leak: LeakCheckResult | null = null;
    if (leakOption) {
      leak = await leakCheck(output.tempPath, plan, {
        settings: leakOption === true ? {} : leakOption,
        signal,
        onProgress: (p) => progress('checking for leaks', p.done, p.total),
      });
    }
    const warnings: string[] = [];
    if (leak && !leak.clean) warnings.push(`leak check: ${describeLeakCheck(leak)}`);
    if (encoderPlan.paddedTo) {
      warnings.push(`H.264 4:2:0 needs even dimensions: the ${v.width}×${v.height} picture was padded to ${encoderPlan.paddedTo.width}×${encoderPlan.paddedTo.height} (extra row/column at the right/bottom edge)`);
    }
    if (v.rotation) warnings.push(`the source is rotated ${v.rotation}°; the output stores the picture upright`);
    warnings.push(...emptyRedactions(plan, renderer.framesDrawn, probed));
    if (probed.endsEarly) {
      const { declaredSeconds, lastSeconds } = probed.endsEarly;
      warnings.push(`the source ends ${(declaredSeconds - lastSeconds).toFixed(2)} s before the length its container declares (${declaredSeconds.toFixed(2)} s): it may have been cut short; the export holds every frame it has (${countOf(v.frameCount, 'frame')})`);
    }
    if (probed.otherStreams.length) warnings.push(`not exported (only the picture and the sound are): ${probed.otherStreams.join(', ')}`);
    const left = encoderPlan.soundLeftOut;
    if (left) {
      const parts = [left.before > 0 ? `${left.before.toFixed(2)} s before the first frame` : '', left.after > 0 ? `${left.after.toFixed(2)} s after the last` : ''].filter(Boolean);
      warnings.push(`sound outside the picture was left out (${parts.join(' and ')}): it lies beyond the frames a reviewer sees and redacts`);
    }
    const unsealed = {
      schema: 'evidence-redactor/export-report' as const,
      version: 1 as const,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      input: { path: sourcePath, name: basename(sourcePath), size: sourceSize, sha256: sourceHash },
      output: {
        path: req.reportedOutputPath ? resolve(req.reportedOutputPath) : output.finalPath,
        name: basename(req.reportedOutputPath ?? output.finalPath),
        size: outSize,
        sha256: outHash,
        frameCount: stats.frames,
        width: encoderPlan.paddedTo?.width ?? v.width,
        height: encoderPlan.paddedTo?.height ?? v.height,
        audio: encoderPlan.audio,
      },
      plan,
      settings: { style: plan.output.style, crf: plan.output.crf, preset: plan.output.preset, ffmpeg },
      commands: [
        { role: 'decode', commandLine: decoder.commandLine },
        { role: 'redact', commandLine: `${TOOL_NAME} ${TOOL_VERSION}: regions drawn on decoded yuv420p frames between the two commands` },
        { role: 'encode', commandLine: encoder.commandLine },
        ...(leak ? [{ role: 'leak check (decode for detection)', commandLine: leak.command }] : []),
      ],
      summary: {
        framesWithRegions: stats.framesWithRegions,
        regionsDrawn: stats.regionsDrawn,
        // In subject access every region but the requester's is redacted, whatever its decision.
        tracksRedacted: plan.tracks.filter((t) => (plan.subject ? redactedInExport(t, plan.subject) : t.decision === 'redact')).length,
        tracksUndecided: plan.tracks.filter((t) => t.decision === 'proposed').length,
        tracksKept: plan.tracks.filter((t) => !redactedInExport(t, plan.subject)).length,
        audioRanges: plan.audio.length,
      },
      warnings,
      ...evidenceFields(plan, req.evidence, leak, plan.subject ? { cut, frames: { exported: stats.frames, ...renderer.subjectFrames }, hasSound: probed.audio.length > 0 } : null),
    };
    const sealed = sealReport(unsealed);
    writeFileSync(report.tempPath, serialiseReport(sealed), { flag: 'wx' });
    // An output without its report cannot be accounted for: both appear, or neither.
    publishTogether([output, report]);
    log.info(`exported ${output.finalPath} (${countOf(stats.frames, 'frame')}, sha256 ${outHash})`);
    return { outputPath: output.finalPath, reportPath: report.finalPath, report: sealed };
  } catch (err) {
    decoded?.close();
    for (const run of runs) run.kill();
    await Promise.allSettled(runs.map((r) => r.done));
    output.discard();
    report.discard();
    if (signal?.aborted && !(err instanceof CancelledError)) throw new CancelledError('the export');
    throw sourceFault(sourcePath, sourceStat) ?? err;
  }
}

/**
 * Redactions in the plan that changed nothing: a region that drew on no exported frame (its keyframes
 * outside the exported frames or the picture), a sound range outside the exported sound. The report must
 * not let them pass for redactions done.
 */
function emptyRedactions(plan: RedactionPlan, framesDrawn: ReadonlyMap<string, number>, probed: ProbeResult): string[] {
  const warnings: string[] = [];
  const lastFrame = probed.framePts.length - 1;
  // A trimmed export leaves out regions of other parts of the clip by design: only those meant for the
  // exported frames count.
  const meantHere = (id: string) => {
    const span = plan.trim ? trackSpan(plan.tracks.find((t) => t.id === id)!, lastFrame) : null;
    return !plan.trim || (span !== null && span.first <= plan.trim.endFrame && span.last >= plan.trim.startFrame);
  };
  const idle = [...framesDrawn].filter(([id, n]) => n === 0 && meantHere(id)).map(([id]) => id);
  if (idle.length) warnings.push(`${countOf(idle.length, 'region')} to redact drew on no exported frame (${firstFew(idle, 5)}): ${idle.length === 1 ? 'its place lies' : 'their places lie'} outside the exported frames or the picture, so nothing was redacted there`);
  if (!plan.audio.length) return warnings;
  if (!probed.audio.length) {
    warnings.push(`the source has no sound: ${countOf(plan.audio.length, 'sound range')} to ${plan.audio.length === 1 ? 'mute or bleep changes' : 'mute or bleep change'} nothing`);
    return warnings;
  }
  const span = trimSeconds({ trim: plan.trim ?? { startFrame: 0, endFrame: lastFrame } }, probed);
  const outside = plan.audio.filter((a) => a.end <= span.startSeconds || a.start >= span.endSeconds).map((a) => a.id);
  if (outside.length) warnings.push(`${countOf(outside.length, 'sound range')} (${firstFew(outside, 5)}) ${outside.length === 1 ? 'lies' : 'lie'} outside the exported sound (${span.startSeconds.toFixed(2)}–${span.endSeconds.toFixed(2)} s), so nothing was muted or bleeped there`);
  return warnings;
}

/** When a job fails because its source vanished or changed underneath it, that is what to report. */
function sourceFault(path: string, before: { size: number; mtimeMs: number }): UserError | null {
  try {
    assertSourceUnchanged(path, before);
    return null;
  } catch (err) {
    return err as UserError;
  }
}

function planMismatch(detail: string): UserError {
  return new UserError('plan', `the source does not match the plan: ${detail}. Refusing to export.`);
}

function assertSourceUnchanged(path: string, before: { size: number; mtimeMs: number }): void {
  let now;
  try {
    now = statSync(path);
  } catch {
    throw new UserError('input', 'the source file disappeared during export. Nothing was written.');
  }
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
    throw new UserError('input', 'the source file changed during export. Nothing was written.');
  }
}

function makeProgress(onProgress: ExportRequest['onProgress']) {
  const meter = progressMeter();
  let lastEmit = 0;
  return (phase: ExportProgress['phase'], done: number, total: number) => {
    if (!onProgress) return;
    const now = performance.now();
    const { rate, etaSeconds } = meter(phase, done, total);
    if (done < total && now - lastEmit < 100) return; // at most ten updates a second
    lastEmit = now;
    onProgress({ phase, done, total, unit: EXPORT_PHASE_UNITS[phase], rate, etaSeconds });
  };
}
