import { readFileSync } from 'node:fs';
import { UserError } from '../errors';

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
