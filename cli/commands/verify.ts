import { verifyExport } from '../../engine/report/verify';
import { EXIT } from '../exit-codes';
import { writeJson, type CommandContext } from '../context';
import { onePositional, parseCommandArgs } from '../options';

export const usage = 'redactor verify <out.mp4> [--report <out.mp4.report.json>] [--json]';

export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { report: { type: 'string' } });
  const output = onePositional(positionals, 'exported video');
  const result = await verifyExport(output, { reportPath: values.report, signal: ctx.signal });
  if (ctx.json) writeJson(ctx, result);
  else {
    for (const c of result.checks) ctx.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
    ctx.stdout.write(result.ok ? `intact: ${output} matches its report\n` : `NOT INTACT: ${output} differs from its report (see FAIL lines)\n`);
  }
  return result.ok ? EXIT.ok : EXIT.verify;
}
