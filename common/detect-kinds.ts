/** What a detection run looks for: faces, text regions (number plates, documents, screens), or both. */
export const DETECT_KINDS = ['faces', 'text'] as const;
export type DetectKind = (typeof DETECT_KINDS)[number];

/** Both kinds, in a fixed order. */
export const ALL_DETECT_KINDS: readonly DetectKind[] = DETECT_KINDS;

/** "faces,text" → ['faces', 'text'] (sorted, unique); throws naming the unknown kind or an empty list. */
export function parseDetectKinds(list: string): DetectKind[] {
  const parts = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!parts.length) throw new Error(`nothing to find: give one or more of ${DETECT_KINDS.join(', ')}`);
  for (const p of parts) {
    if (!(DETECT_KINDS as readonly string[]).includes(p)) throw new Error(`unknown kind '${p}' to find: known kinds are ${DETECT_KINDS.join(', ')}`);
  }
  return DETECT_KINDS.filter((k) => parts.includes(k));
}
