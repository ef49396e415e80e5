import type { ExportEvidence } from '../engine/report/evidence';
import { describeLeakCheck, type LeakCheckResult } from '../engine/leak-check/leak-check';
import type { CommandContext } from './context';
import { numberOption } from './options';

/** Options `export`, `auto` and `bundle` share: who, for which case, for whom and why, and the leak check. */
export const EVIDENCE_OPTIONS = {
  operator: { type: 'string' },
  'case-ref': { type: 'string' },
  recipient: { type: 'string' },
  purpose: { type: 'string' },
  'confirm-reason': { type: 'string' },
  'leak-threshold': { type: 'string' },
} as const;

export function evidenceFrom(
  values: { operator?: string; 'case-ref'?: string; recipient?: string; purpose?: string; 'confirm-reason'?: string; 'leak-threshold'?: string },
  leakCheck: boolean,
): ExportEvidence {
  const threshold = numberOption(values['leak-threshold'], '--leak-threshold', { min: 0.01, max: 0.99 });
  return {
    ...(values.operator ? { operator: values.operator } : {}),
    ...(values['case-ref'] ? { caseReference: values['case-ref'] } : {}),
    ...(values.recipient?.trim() ? { recipient: values.recipient } : {}),
    ...(values.purpose?.trim() ? { purpose: values.purpose } : {}),
    ...(values['confirm-reason'] ? { confirmation: { reason: values['confirm-reason'] } } : {}),
    leakCheck: leakCheck ? (threshold === undefined ? true : { scoreThreshold: threshold }) : false,
  };
}

/** One line on stdout for a clean check; a warning on stderr, with the frames, for leaks. */
export function printLeakCheck(ctx: CommandContext, leak: LeakCheckResult | null | undefined, label = ''): void {
  if (!leak || ctx.json) return;
  if (leak.clean) ctx.stdout.write(`${label}leak check ${describeLeakCheck(leak)}\n`);
  else ctx.stderr.write(`redactor: warning: ${label}LEAK CHECK: ${describeLeakCheck(leak)}; see the report\n`);
}
