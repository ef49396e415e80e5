import { clipFactsSchema, type ClipFacts } from '../../common/api';
import { CaseRepository } from '../store/case-repository';
import { RedactorDb, type ClipRow } from '../store/db';

/** The app's one repository over its IndexedDB database. */
export const repository = new CaseRepository(new RedactorDb());

/** A clip row with its probe facts checked (stored data is read back through the schema), and not refused. */
export interface OpenClip extends ClipRow {
  facts: ClipFacts;
}

/** Null for a clip that cannot be opened: refused (`integrity`, see db.ts) or without valid facts. */
export function withFacts(row: ClipRow): OpenClip | null {
  if (row.integrity) return null;
  const r = clipFactsSchema.safeParse(row.probe);
  return r.success ? { ...row, facts: r.data } : null;
}
