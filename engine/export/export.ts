import { statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { RedactionPlan } from '../../common/plan';
import { isRedacted } from '../../common/track';
import { CancelledError, UserError } from '../errors';
import { runFfmpeg, type FfmpegRun } from '../ffmpeg/run';
import { toolVersion } from '../ffmpeg/version';
import { log } from '../log';
import { sha256File } from '../media/hash';
import { NutFormatError, NutFrameSplitter } from '../media/nut-frames';
import { probe, type ProbeResult } from '../media/probe';
import { assertReadableFile } from '../media/source-file';
import { reportPathFor, sealReport, serialiseReport, type ExportReport } from '../report/export-report';
import { assertReviewConfirmed, evidenceFields, type ExportEvidence } from '../report/evidence';
import { describeLeakCheck, leakCheck, type LeakCheckResult } from '../leak-check/leak-check';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { decoderArgs, encoderArgs } from './ffmpeg-args';
import { FrameRenderer } from './frame-renderer';
import { AtomicOutput, checkOutputPath } from './output-file';
import { yuv420FrameSize } from './yuv-frame';

export interface ExportProgress {
  phase: 'checking source' | 'redacting' | 'hashing output' | 'checking for leaks';
  done: number;
  total: number;
  /** Frames per second (redacting) or bytes per second (hashing). */
  rate: number;
  etaSeconds: number | null;
}

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
  const { plan, signal } = req;
  const sourcePath = resolve(req.sourcePath);
  const sourceSize = assertReadableFile(sourcePath);
  checkOutputPath(req.outputPath, sourcePath, { overwrite: req.overwrite });
  const sourceStat = statSync(sourcePath);
  assertReviewConfirmed(plan, req.evidence);

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

  const output = new AtomicOutput(req.outputPath);
  const report = new AtomicOutput(reportPathFor(output.finalPath));
  const runs: FfmpegRun[] = [];
  try {
    const ffmpeg = await toolVersion('ffmpeg');
    const decoder = runFfmpeg({ args: decoderArgs(sourcePath, plan), signal, streamStdout: true });
    runs.push(decoder);
    const encoderPlan = encoderArgs(sourcePath, output.tempPath, plan, probed);
    const encoder = runFfmpeg({ args: encoderPlan.args, signal, stdin: true, onProgress: () => {} });
    runs.push(encoder);

    const firstFrame = plan.trim?.startFrame ?? 0;
    const frameTotal = plan.trim ? plan.trim.endFrame - plan.trim.startFrame + 1 : v.frameCount;
    const renderer = new FrameRenderer(plan, v.width, v.height, v.colour);
    const stats = await pumpFrames(decoder, encoder, {
      frameSize: yuv420FrameSize(v.width, v.height),
      render: (k, payload) => renderer.render(firstFrame + k, payload),
      onFrame: (k) => progress('redacting', k, frameTotal),
    });
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
        tracksRedacted: plan.tracks.filter((t) => t.decision === 'redact').length,
        tracksUndecided: plan.tracks.filter((t) => t.decision === 'proposed').length,
        tracksKept: plan.tracks.filter((t) => !isRedacted(t)).length,
        audioRanges: plan.audio.length,
      },
      warnings,
      ...evidenceFields(plan, req.evidence, leak),
    };
    const sealed = sealReport(unsealed);
    writeFileSync(report.tempPath, serialiseReport(sealed), { flag: 'wx' });
    output.commit();
    try {
      report.commit();
    } catch (err) {
      // An output without its report cannot be accounted for: take it back.
      output.discard();
      throw err;
    }
    log.info(`exported ${output.finalPath} (${stats.frames} frames, sha256 ${outHash})`);
    return { outputPath: output.finalPath, reportPath: report.finalPath, report: sealed };
  } catch (err) {
    for (const run of runs) run.kill();
    await Promise.allSettled(runs.map((r) => r.done));
    output.discard();
    report.discard();
    if (signal?.aborted && !(err instanceof CancelledError)) throw new CancelledError('the export');
    throw sourceFault(sourcePath, sourceStat) ?? err;
  }
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

interface PumpStats {
  frames: number;
  framesWithRegions: number;
  regionsDrawn: number;
}

/**
 * Moves NUT units from decoder to encoder, drawing regions on each video frame. A few frames may
 * queue for the encoder so both ffmpeg processes stay busy (waiting for each frame to drain would
 * serialise decoding and encoding); beyond that the decoder is paused, so memory stays flat however
 * long the clip.
 */
const QUEUED_FRAMES_HIGH = 4;
const QUEUED_FRAMES_LOW = 2;

function pumpFrames(
  decoder: FfmpegRun,
  encoder: FfmpegRun,
  opts: { frameSize: number; render: (k: number, payload: Buffer) => number; onFrame: (k: number) => void },
): Promise<PumpStats> {
  // Frame buffers are recycled once the encoder's pipe has taken them.
  const spare: Buffer[] = [];
  const splitter = new NutFrameSplitter((size) => {
    const reused = spare.pop();
    return reused && reused.length === size ? reused : Buffer.allocUnsafe(size);
  });
  const stats: PumpStats = { frames: 0, framesWithRegions: 0, regionsDrawn: 0 };
  const input = decoder.stdout!;
  const sink = encoder.stdin!;
  const high = QUEUED_FRAMES_HIGH * opts.frameSize;
  const low = QUEUED_FRAMES_LOW * opts.frameSize;
  return new Promise<PumpStats>((resolvePump, reject) => {
    let failed = false;
    let paused = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(err);
    };
    const onWritten = () => {
      if (paused && sink.writableLength <= low) {
        paused = false;
        input.resume();
      }
    };
    // If the encoder dies, its error (from `done`) is the one worth reporting.
    encoder.done.catch(fail);
    decoder.done.catch(fail);
    input.on('data', (chunk: Buffer) => {
      if (failed) return;
      let units;
      try {
        units = splitter.push(chunk);
      } catch (err) {
        return fail(err instanceof NutFormatError ? new UserError('input', `cannot read the decoded frames: ${err.message}`) : err);
      }
      for (const unit of units) {
        if (unit.kind === 'frame') {
          if (unit.payload.length !== opts.frameSize) {
            return fail(new UserError('input', `a decoded frame has ${unit.payload.length} bytes, expected ${opts.frameSize}: the picture size changes mid-stream, which is not supported`));
          }
          const drawn = opts.render(stats.frames, unit.payload);
          stats.regionsDrawn += drawn;
          if (drawn) stats.framesWithRegions++;
          stats.frames++;
          opts.onFrame(stats.frames);
        }
        if (unit.kind === 'frame') {
          const bytes = unit.bytes;
          sink.write(bytes, () => {
            if (spare.length < QUEUED_FRAMES_HIGH + 2) spare.push(bytes);
            onWritten();
          });
        } else sink.write(unit.bytes, onWritten);
      }
      if (!paused && sink.writableLength > high) {
        paused = true;
        input.pause();
      }
    });
    input.on('end', () => {
      if (failed) return;
      // A decoder that was killed also ends mid-frame; its own error, once known, says so better.
      if (!splitter.atBoundary) return void decoder.done.then(() => fail(new UserError('input', 'the decoded stream ended mid-frame: the source may be truncated')), fail);
      sink.end(() => resolvePump(stats));
    });
    input.on('error', fail);
  });
}

function makeProgress(onProgress: ExportRequest['onProgress']) {
  const started = new Map<string, number>();
  let lastEmit = 0;
  return (phase: ExportProgress['phase'], done: number, total: number) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!started.has(phase)) started.set(phase, now);
    if (done < total && now - lastEmit < 100) return; // at most ten updates a second
    lastEmit = now;
    const elapsed = (now - started.get(phase)!) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    onProgress({ phase, done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null });
  };
}
