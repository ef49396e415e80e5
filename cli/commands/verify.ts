import { statSync } from 'node:fs';
import { readAuditTrail } from '../../engine/case/audit-file';
import { verifyCase } from '../../engine/case/case-file';
import { verifyBundle } from '../../engine/bundle/bundle';
import { verifyExport } from '../../engine/report/verify';
import { EXIT } from '../exit-codes';
import { writeJson, type CommandContext } from '../context';
import { onePositional, parseCommandArgs } from '../options';
import { printCaseVerification } from './case';

export const usage = 'redactor verify <out.mp4|bundle folder|case.json> [--report <out.mp4.report.json>] [--audit <case.json|trail.json>] [--json]';

/**
 * One command for every kind of record: an export (against its report, and the audit trail when
 * given), a disclosure bundle (against its manifest), or a case file (clips re-hashed, trail checked).
 */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { report: { type: 'string' }, audit: { type: 'string' } });
  const target = onePositional(positionals, 'exported video, bundle folder or case file');
  if (isDirectory(target)) {
    const result = await verifyBundle(target, { signal: ctx.signal });
    print(ctx, result, `bundle ${target} matches its manifest`, `bundle ${target} differs from its manifest`);
    return result.ok ? EXIT.ok : EXIT.verify;
  }
  if (target.endsWith('.json') && !values.report) {
    const result = await verifyCase(target, { signal: ctx.signal });
    printCaseVerification(ctx, target, result);
    return result.ok ? EXIT.ok : EXIT.verify;
  }
  const trail = values.audit ? readAuditTrail(values.audit).events : undefined;
  const result = await verifyExport(target, { reportPath: values.report, signal: ctx.signal, auditTrail: trail });
  print(ctx, result, `${target} matches its report`, `${target} differs from its report`);
  return result.ok ? EXIT.ok : EXIT.verify;
}

function print(ctx: CommandContext, result: { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> }, intact: string, broken: string): void {
  if (ctx.json) return writeJson(ctx, result);
  for (const c of result.checks) ctx.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
  ctx.stdout.write(result.ok ? `intact: ${intact}\n` : `NOT INTACT: ${broken} (see FAIL lines)\n`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
