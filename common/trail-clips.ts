import type { AuditEvent } from './audit-chain';

/**
 * The audit trail as a record of which clips a case holds: every clip enters by an `import` event
 * (its id, name and SHA-256; a relocated original by another, with the same SHA-256), and none leaves
 * but with the whole case. A case file with a clip the trail never imported, one whose SHA-256 no
 * import recorded, or without a clip the trail imported, was changed outside the app.
 */
export function clipMembershipMismatches(trail: readonly AuditEvent[], clips: ReadonlyArray<{ id: string; name: string; sha256: string }>): string[] {
  const imported = new Map<string, { name: string; seq: number; sha256s: Set<string> }>();
  for (const event of trail) {
    if (event.type !== 'import' || typeof event.payload.clipId !== 'string') continue;
    const entry = imported.get(event.payload.clipId) ?? { name: String(event.payload.name), seq: event.seq, sha256s: new Set<string>() };
    entry.sha256s.add(String(event.payload.sha256));
    imported.set(event.payload.clipId, entry);
  }
  const problems: string[] = [];
  for (const clip of clips) {
    const entry = imported.get(clip.id);
    if (!entry) problems.push(`clip ${clip.id} (${clip.name}) is not in the audit trail: no import event records it`);
    else if (!entry.sha256s.has(clip.sha256)) problems.push(`clip ${clip.id} (${clip.name}) has SHA-256 ${clip.sha256}, which no import of it in the audit trail recorded`);
  }
  const inFile = new Set(clips.map((c) => c.id));
  for (const [id, entry] of imported) {
    if (!inFile.has(id)) problems.push(`clip ${id} (${entry.name}), imported in audit event #${entry.seq}, is missing from the case file`);
  }
  return problems;
}
