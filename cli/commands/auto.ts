import { countOf } from '../../common/count-of';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { detectVideo } from '../../engine/detect/detect-video';
import { UserError } from '../../engine/errors';
import { exportRedacted } from '../../engine/export/export';
import { sha256File } from '../../engine/media/hash';
import { probe } from '../../engine/media/probe';
import { newPlan } from '../../engine/plan-file';
import { UsageError, writeJson, type CommandContext } from '../context';
import { DETECT_OPTIONS, detectSettingsFrom } from '../detect-options';
import { EXIT, exitCodeFor } from '../exit-codes';
import { EVIDENCE_OPTIONS, evidenceFrom, printLeakCheck } from '../evidence-options';
import { exportOutputName, parseCommandArgs, styleFromOptions } from '../options';

export const usage =
  "redactor auto <video|folder>... -o <out.mp4|folder> [--style blur|pixelate|solid] [--fill '#RRGGBB'] [--find faces,text] [--every N] [--threshold T] [--force]\n" +
  '                 [--operator NAME] [--case-ref REF] [--recipient WHO] [--purpose WHY] [--confirm-reason TEXT] [--no-leak-check] [--leak-threshold T]';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.avi', '.mts', '.m2ts', '.ts', '.webm', '.wmv', '.3gp']);

/**
 * Batch mode: detect, redact every proposal, write clip and report. One input and a file name, or
 * several inputs / folders and an output folder. A failing clip does not stop the others.
 */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    style: { type: 'string' },
    fill: { type: 'string' },
    force: { type: 'boolean' },
    ...DETECT_OPTIONS,
    ...EVIDENCE_OPTIONS,
    'no-leak-check': { type: 'boolean' },
  });
  // No person reviews an `auto` export, so the leak check (a second look by the detector) is on unless refused.
  const evidence = evidenceFrom(values, values['no-leak-check'] !== true);
  if (!positionals.length) throw new UsageError('missing <video> or <folder>');
  if (!values.output) throw new UsageError('missing -o <out.mp4> (or an output folder for several inputs)');
  const style = styleFromOptions(values.style, values.fill);
  const settings = detectSettingsFrom(values);
  const { inputs, skipped } = expandInputs(positionals);
  const batch = inputs.length > 1 || positionals.some((p) => isDirectory(p)) || isDirectory(values.output);
  if (batch) {
    if (existsSync(values.output) && !isDirectory(values.output)) throw new UsageError('with several inputs or a folder, -o must be a folder');
  } else {
    exportOutputName(values.output);
  }
  const outputFor = (input: string) => (batch ? join(values.output!, `${basename(input, extname(input))}.redacted.mp4`) : values.output!);
  // Two inputs with the same name (a.mov and a.mp4, or two folders' clip.mp4) would be written to one file,
  // the second replacing the first: refused before any work.
  const byOutput = new Map<string, string>();
  for (const input of inputs) {
    const out = resolve(outputFor(input));
    const other = byOutput.get(out);
    if (other) throw new UserError('output', `${other} and ${input} would both be written to ${out}: rename one, or redact them separately`);
    byOutput.set(out, input);
  }
  if (batch) mkdirSync(values.output, { recursive: true });
  if (skipped.length && !ctx.json) ctx.stderr.write(`redactor: skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} with a report beside it (an export, not an original): ${skipped.join(', ')}\n`);

  const results: Array<{ input: string; output?: string; report?: string; tracks?: number; leakCheck?: unknown; error?: string; code: number }> = [];
  for (const [i, input] of inputs.entries()) {
    const output = outputFor(input);
    const label = inputs.length > 1 ? `[${i + 1}/${inputs.length}] ` : '';
    try {
      const probed = await probe(input, ctx.signal);
      const sha256 = await sha256File(input, { signal: ctx.signal, size: probed.size });
      const detected = await detectVideo(probed, {
        settings,
        signal: ctx.signal,
        onProgress: ctx.progress.forJob(`${label}detecting`),
      });
      const plan = newPlan(probed, sha256, detected.tracks);
      if (style) plan.output.style = style;
      const exported = await exportRedacted({
        sourcePath: input,
        plan,
        outputPath: output,
        overwrite: values.force,
        // Nor may it replace another original of the batch.
        protect: inputs,
        probed,
        signal: ctx.signal,
        onProgress: ctx.progress.forJob(label),
        evidence,
      });
      ctx.progress.done();
      results.push({ input, output: exported.outputPath, report: exported.reportPath, tracks: detected.tracks.length, leakCheck: exported.report.leakCheck ?? null, code: EXIT.ok });
      if (!ctx.json) {
        ctx.stdout.write(`${label}${input} → ${exported.outputPath} (${countOf(detected.tracks.length, 'track')} redacted)\n`);
        printLeakCheck(ctx, exported.report.leakCheck, label);
      }
    } catch (err) {
      ctx.progress.done();
      if (!(err instanceof UserError) || err.code === 'cancelled') throw err;
      results.push({ input, error: err.message, code: exitCodeFor(err.code) });
      ctx.stderr.write(`redactor: error: ${label}${input}: ${err.message}\n`);
    }
  }
  if (ctx.json) writeJson(ctx, { results });
  const failed = results.filter((r) => r.code !== EXIT.ok);
  if (inputs.length > 1 && !ctx.json) ctx.stdout.write(`${inputs.length - failed.length} of ${inputs.length} clips redacted\n`);
  return failed.length ? failed[0]!.code : EXIT.ok;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Files as given; folders expand to the video files directly inside them, sorted by name, leaving out
 * hidden files and this tool's own exports (a video with its `.report.json` beside it), so a folder run
 * twice does not redact its redactions.
 */
function expandInputs(paths: string[]): { inputs: string[]; skipped: string[] } {
  const skipped: string[] = [];
  const inputs = paths.flatMap((p) => {
    if (!isDirectory(p)) return [p];
    const names = readdirSync(p);
    return names
      .filter((name) => VIDEO_EXTENSIONS.has(extname(name).toLowerCase()) && !name.startsWith('.'))
      .filter((name) => !names.includes(`${name}.report.json`) || (skipped.push(join(p, name)), false))
      .sort()
      .map((name) => join(p, name));
  });
  return { inputs, skipped };
}
