import { exportRedacted } from '../../engine/export/export';
import { readPlanFile } from '../../engine/plan-file';
import { UsageError, writeJson, type CommandContext } from '../context';
import { EVIDENCE_OPTIONS, evidenceFrom, printLeakCheck } from '../evidence-options';
import { exportOutputName, onePositional, parseCommandArgs, styleFromOptions } from '../options';
import { countOf } from '../../common/count-of';
import { parseRegionIds, SUBJECT_OPTIONS, SUBJECT_USAGE, subjectFrom, withSubject } from '../subject-options';

export const usage =
  "redactor export <video> --plan <plan.json> -o <out.mp4> [--style blur|pixelate|solid] [--fill '#RRGGBB'] [--force]\n" +
  '                 [--operator NAME] [--case-ref REF] [--recipient WHO] [--purpose WHY] [--confirm-reason TEXT] [--leak-check] [--leak-threshold T]\n' +
  `                 [--subject <region id>[,<id>...] ${SUBJECT_USAGE}]`;

export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    plan: { type: 'string' },
    output: { type: 'string', short: 'o' },
    style: { type: 'string' },
    fill: { type: 'string' },
    force: { type: 'boolean' },
    ...EVIDENCE_OPTIONS,
    'leak-check': { type: 'boolean' },
    subject: { type: 'string' },
    ...SUBJECT_OPTIONS,
  });
  const source = onePositional(positionals, 'video');
  if (!values.plan) throw new UsageError('missing --plan <plan.json>');
  if (!values.output) throw new UsageError('missing -o <out.mp4>');
  exportOutputName(values.output);
  const style = styleFromOptions(values.style, values.fill);
  const requesterIds = values.subject !== undefined ? parseRegionIds(values.subject, '--subject') : null;
  const subject = subjectFrom(values, requesterIds !== null);
  let plan = readPlanFile(values.plan);
  if (style) plan.output.style = style;
  if (subject) plan = withSubject(plan, requesterIds!, subject);
  const result = await exportRedacted({
    sourcePath: source,
    plan,
    outputPath: values.output,
    overwrite: values.force,
    signal: ctx.signal,
    onProgress: ctx.progress.forJob(''),
    evidence: evidenceFrom(values, values['leak-check'] === true),
  });
  ctx.progress.done();
  const r = result.report;
  if (ctx.json) {
    writeJson(ctx, { output: result.outputPath, report: result.reportPath, sha256: r.output.sha256, frames: r.output.frameCount, summary: r.summary, leakCheck: r.leakCheck ?? null, warnings: r.warnings });
  } else {
    for (const w of r.warnings.filter((x) => !x.startsWith('leak check:'))) ctx.stderr.write(`redactor: warning: ${w}\n`);
    printLeakCheck(ctx, r.leakCheck);
    ctx.stdout.write(`wrote ${result.outputPath} (${countOf(r.output.frameCount, 'frame')}, sha256 ${r.output.sha256})\nreport ${result.reportPath}\n`);
  }
  return 0;
}
