import { readFileSync } from 'node:fs';
import { chainHead, type AuditEvent, type AuditHead } from '../../common/audit-chain';
import { UserError } from '../errors';
import { type OutputRules, writeJsonFile } from '../export/output-file';

/**
 * Writes a case's audit trail, as recorded, whole or not at all, as `{ caseReference, savedAt, head,
 * events }` (read back by `readAuditTrail`), by the output rules. Whether the chain holds is for
 * `verifyChain` to say.
 */
export function writeAuditTrail(path: string, trail: { caseReference: string; events: AuditEvent[] }, rules: OutputRules = {}): AuditHead {
  const head = chainHead(trail.events);
  try {
    writeJsonFile(path, { caseReference: trail.caseReference, savedAt: new Date().toISOString(), head, events: trail.events }, rules);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('output', `cannot write the audit trail to ${path}: ${(err as Error).message}`);
  }
  return head;
}

/**
 * The audit trail from a file: a case file (its `audit`), a trail file `{ "events": [...] }`, or a
 * bare list of events. Only the JSON is read here; `verifyChain` judges the events.
 */
export function readAuditTrail(path: string): { events: unknown; from: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError('input', `cannot read the audit trail ${path}: ${(err as Error).message}`);
  }
  if (Array.isArray(json)) return { events: json, from: 'a list of events' };
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (Array.isArray(o.audit)) return { events: o.audit, from: 'a case file' };
    if (Array.isArray(o.events)) return { events: o.events, from: 'an audit trail file' };
  }
  throw new UserError('input', `${path} holds no audit trail (expected a case file or a list of events)`);
}
