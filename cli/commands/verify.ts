import { existsSync, readFileSync, statSync } from 'node:fs';
import { readAuditTrail } from '../../engine/case/audit-file';
import { verifyCase } from '../../engine/case/case-file';
import { verifyBundle } from '../../engine/bundle/bundle';
import { REPORT_SCHEMA_ID } from '../../engine/report/export-report';
import { verifyExport } from '../../engine/report/verify';
import { EXIT } from '../exit-codes';
import { UsageError, writeJson, type CommandContext } from '../context';
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
    let result;
    try {
      result = await verifyCase(target, { signal: ctx.signal });
    } catch (err) {
      // Not a case file: an export's report given for its clip is a usage mistake, said as such.
      throw reportGivenForClip(target) ?? err;
    }
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

/** Far above any report (a plan of thousands of tracks is a few megabytes). */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * When `path` is an export's report, the mistake in one line, naming the clip the report records: the
 * one beside it, where reports are written, or else the path it was written to. Null for any other file.
 */
function reportGivenForClip(path: string): UsageError | null {
  let report: { schema?: unknown; output?: { path?: unknown } };
  try {
    // A video named .json is not read into memory to find out.
    if (statSync(path).size > MAX_REPORT_BYTES) return null;
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (report?.schema !== REPORT_SCHEMA_ID) return null;
  const beside = path.replace(/\.report\.json$/, '');
  const clip = beside !== path && existsSync(beside) ? beside : typeof report.output?.path === 'string' ? report.output.path : null;
  const what = clip ? `the exported clip it belongs to: redactor verify ${clip}` : 'the exported clip (its report is found beside it, or give it with --report)';
  return new UsageError(`${path} is an export's report, not the clip: verify takes ${what}`, { withUsage: false });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
