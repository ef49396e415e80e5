import { detectVideo } from '../../engine/detect/detect-video';
import { checkOutputPath, type OutputRules } from '../../engine/export/output-file';
import { sha256File } from '../../engine/media/hash';
import { probe } from '../../engine/media/probe';
import { newPlan, writePlanFile } from '../../engine/plan-file';
import { UsageError, writeJson, type CommandContext } from '../context';
import { DETECT_OPTIONS, detectSettingsFrom } from '../detect-options';
import { onePositional, parseCommandArgs } from '../options';
import { countOf } from '../../common/count-of';

export const usage = 'redactor detect <video> -o <plan.json> [--find faces,text] [--every N] [--threshold T] [--force]';

/** Writes a plan whose tracks are the detector's proposals (decision "proposed"). */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, ...DETECT_OPTIONS });
  const path = onePositional(positionals, 'video');
  if (!values.output) throw new UsageError('missing -o <plan.json>');
  const settings = detectSettingsFrom(values);
  // Checked before the detection runs: minutes of work must not end in a refusal to write.
  const rules: OutputRules = { protect: [path], overwrite: values.force };
  checkOutputPath(values.output, rules);
  const probed = await probe(path, ctx.signal);
  const sha256 = await sha256File(path, {
    signal: ctx.signal,
    size: probed.size,
    onProgress: ctx.progress.forHashing(),
  });
  const result = await detectVideo(probed, {
    settings,
    signal: ctx.signal,
    onProgress: ctx.progress.forJob('detecting'),
  });
  ctx.progress.done();
  writePlanFile(values.output, newPlan(probed, sha256, result.tracks), rules);
  if (ctx.json) writeJson(ctx, { plan: values.output, tracks: result.tracks.length, framesAnalysed: result.framesAnalysed, detections: result.detections, detector: result.detector, find: result.settings.find });
  else ctx.stdout.write(`wrote ${values.output}: ${countOf(result.tracks.length, 'proposed track')} from ${countOf(result.framesAnalysed, 'analysed frame')}\n`);
  return 0;
}
