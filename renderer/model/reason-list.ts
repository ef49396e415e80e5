import { DEFAULT_REASONS, reasonListSchema, type ReasonCode } from '../../common/reasons';

/**
 * The user's list of reasons to redact (a preference, stored in Dexie `settings`): editing it and
 * reading it back. Every change is checked against `reasonListSchema`; a list that fails it is never
 * stored, and a stored value that fails it (damaged, or from elsewhere) reads as the defaults.
 */
export const REASON_LIST_SETTING = 'reasons';

export class ReasonListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReasonListError';
  }
}

/** The stored list, or the defaults when none is stored or it is not a valid list. */
export function storedReasonList(value: unknown): ReasonCode[] {
  const r = reasonListSchema.safeParse(value);
  return r.success ? r.data : DEFAULT_REASONS.map((x) => ({ ...x }));
}

/** The list itself when valid, else a ReasonListError naming the first problem in words. */
export function checkedReasonList(list: readonly ReasonCode[]): ReasonCode[] {
  const r = reasonListSchema.safeParse(list);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const [index, field] = issue.path;
  const where = typeof index === 'number' && list[index] ? `reason '${list[index]!.code || list[index]!.label || index + 1}'` : 'the reason list';
  if (issue.code === 'too_small' && issue.path.length === 0) throw new ReasonListError('The list needs at least one reason.');
  throw new ReasonListError(`${where}${field ? ` (${String(field)})` : ''}: ${issue.message}.`);
}

/** Adds a code at the end; the code is trimmed and lowercased, the label trimmed. */
export function withReason(list: readonly ReasonCode[], reason: ReasonCode): ReasonCode[] {
  const added = { code: reason.code.trim().toLowerCase(), label: reason.label.trim(), needsText: reason.needsText };
  return checkedReasonList([...list, added]);
}

export function withoutReason(list: readonly ReasonCode[], code: string): ReasonCode[] {
  if (!list.some((r) => r.code === code)) throw new ReasonListError(`There is no reason '${code}' in the list.`);
  return checkedReasonList(list.filter((r) => r.code !== code));
}

export function withNeedsText(list: readonly ReasonCode[], code: string, needsText: boolean): ReasonCode[] {
  if (!list.some((r) => r.code === code)) throw new ReasonListError(`There is no reason '${code}' in the list.`);
  return checkedReasonList(list.map((r) => (r.code === code ? { ...r, needsText } : r)));
}

/** The code to preselect: `preferred` when the list has it, else the list's first. */
export function defaultCode(list: readonly ReasonCode[], preferred: string): string {
  return list.some((r) => r.code === preferred) ? preferred : (list[0]?.code ?? preferred);
}
