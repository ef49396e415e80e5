import { existsSync, statSync } from 'node:fs';
import { verifyChain } from '../../common/audit-chain';
import { UserError } from '../errors';
import { sha256File } from '../media/hash';
import { probe } from '../media/probe';
import { readReport, reportPathFor, sealHolds, type ExportReport } from './export-report';
import { countOf } from '../../common/count-of';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  outputPath: string;
  reportPath: string;
  checks: VerifyCheck[];
}

/**
 * Checks an export against its report: the report's seal (no field changed), the output's size
 * and SHA-256 (no byte changed), that it is not the original itself, and its frame count. The input
 * is re-hashed when it is still at the recorded path (a regular file) and the seal holds; otherwise
 * that is said, not failed. With the case's audit trail, the trail must be intact and hold the head
 * the report recorded.
 */
export async function verifyExport(
  outputPath: string,
  options: {
    reportPath?: string;
    signal?: AbortSignal;
    checkInput?: boolean;
    /** The case's audit trail (events), checked link by link and against the head the report recorded. */
    auditTrail?: unknown;
  } = {},
): Promise<VerifyResult> {
  const reportPath = options.reportPath ?? reportPathFor(outputPath);
  if (!existsSync(outputPath)) throw new UserError('input', `${outputPath}: no such file`);
  if (!existsSync(reportPath)) throw new UserError('verify', `no report found at ${reportPath}`);
  const report = readReport(reportPath);
  const checks: VerifyCheck[] = [];

  const sealed = sealHolds(reportPath, report);
  checks.push({ name: 'report seal', ok: sealed, detail: sealed ? 'the report is as written' : 'the report was changed after it was written' });

  const size = statSync(outputPath).size;
  checks.push({
    name: 'output size',
    ok: size === report.output.size,
    detail: size === report.output.size ? `${size} bytes` : `${size} bytes, report says ${report.output.size}`,
  });
  const hash = await sha256File(outputPath, { signal: options.signal, size });
  checks.push({
    name: 'output SHA-256',
    ok: hash === report.output.sha256,
    detail: hash === report.output.sha256 ? hash : `${hash}, report says ${report.output.sha256}`,
  });
  // An export always re-encodes: a file byte for byte the original is no redacted copy, whatever its report says.
  const original = hash === report.input.sha256;
  checks.push({ name: 'output is not the original', ok: !original, detail: original ? 'the output is byte for byte the original (its SHA-256 is the input\'s): it is not a redacted copy' : 'its SHA-256 differs from the input\'s' });
  try {
    const p = await probe(outputPath, options.signal);
    checks.push({
      name: 'output frame count',
      ok: p.video.frameCount === report.output.frameCount,
      detail: `${countOf(p.video.frameCount, 'frame')}${p.video.frameCount === report.output.frameCount ? '' : `, report says ${report.output.frameCount}`}`,
    });
  } catch (err) {
    checks.push({ name: 'output frame count', ok: false, detail: `cannot read the output as video: ${(err as Error).message}` });
  }

  const subject = subjectAccessCheck(report);
  if (subject) checks.push(subject);

  if (options.checkInput !== false) {
    const input = report.input.path;
    if (!sealed) {
      // A changed report's path may name anything (a device that never ends, someone's files): not followed.
      checks.push({ name: 'input SHA-256', ok: true, detail: `not checked: the report's seal does not hold, so its input path is not trusted` });
    } else if (existsSync(input) && !statSync(input).isFile()) {
      checks.push({ name: 'input SHA-256', ok: false, detail: `${input} is not a regular file` });
    } else if (existsSync(input)) {
      const inputHash = await sha256File(input, { signal: options.signal });
      checks.push({
        name: 'input SHA-256',
        ok: inputHash === report.input.sha256,
        detail: inputHash === report.input.sha256 ? `${input} is unchanged` : `${input} has changed since export (${inputHash})`,
      });
    } else {
      checks.push({ name: 'input SHA-256', ok: true, detail: `not checked: ${input} is not present here` });
    }
  }
  const head = report.audit?.head;
  if (options.auditTrail !== undefined) {
    const chain = await verifyChain(options.auditTrail, head);
    checks.push({
      name: 'audit trail',
      ok: chain.intact,
      detail: chain.intact
        ? `intact: ${countOf(chain.events, 'event')}${head ? `, including the head this report recorded (#${head.seq})` : ''}`
        : `${chain.problem}: ${chain.detail}`,
    });

  } else if (head) {
    checks.push({ name: 'audit trail', ok: true, detail: `not checked: the report records trail head #${head.seq} ${head.hash.slice(0, 12)}…; give the case file (--audit) to check it` });
  }
  return { ok: checks.every((c) => c.ok), outputPath, reportPath, checks };
}

/**
 * A subject access export's record must agree with the plan it ran: the mode, the request's reference
 * and the requester's regions. Reports of other exports get no such check.
 */
function subjectAccessCheck(report: ExportReport): VerifyCheck | null {
  const planned = report.plan.subject;
  const recorded = report.subjectAccess ?? null;
  if (!planned && !recorded) return null;
  const name = 'subject access record';
  if (!planned || !recorded) return { name, ok: false, detail: planned ? 'the plan is a subject access export but the report records none' : 'the report records a subject access export the plan does not hold' };
  const requesters = report.plan.tracks.filter((t) => t.requester).map((t) => t.id).sort();
  const listed = recorded.requesterRegions.map((q) => q.trackId).sort();
  const faults = [
    recorded.mode !== planned.mode ? `mode ${recorded.mode}, plan ${planned.mode}` : '',
    recorded.requestRef !== planned.requestRef ? 'the request reference differs from the plan\'s' : '',
    requesters.join(',') !== listed.join(',') ? `requester regions ${listed.join(', ')}, plan ${requesters.join(', ')}` : '',
  ].filter(Boolean);
  return faults.length
    ? { name, ok: false, detail: faults.join('; ') }
    : { name, ok: true, detail: `${recorded.mode}, request ${recorded.requestRef}, requester ${listed.join(', ')}` };
}
