import type { AuditEvent } from '../../common/audit-chain';

/**
 * One line in words for each audit event, for the case's trail as the app shows it: what happened,
 * to which clip (by name), and the evidential detail (hashes shortened; the full event is in the file
 * that "Export audit trail…" writes).
 */
export function describeAuditEvent(event: AuditEvent, clipNames: ReadonlyMap<string, string>): string {
  const p = event.payload as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : 0);
  const clip = clipNames.get(str('clipId')) ?? (str('clipId') ? `clip ${str('clipId')}` : 'the case');
  const hash = (k: string) => (str(k) ? `SHA-256 ${str(k).slice(0, 12)}…` : 'no hash');
  switch (event.type) {
    case 'case':
      if (str('action') === 'retention') return `Case kept until ${str('to')} (was ${str('from')}): ${str('reason')}`;
      return `Case ${str('action')}${str('reference') ? ` (${str('reference')})` : ''}`;
    case 'import':
      return `${p.located ? 'Located the original of' : 'Imported'} ${str('name') || clip} (${num('size')} bytes, ${hash('sha256')})`;
    case 'detection':
      return `Detection on ${clip}: ${num('tracks')} proposal${num('tracks') === 1 ? '' : 's'} (${str('model').split(' ')[0] || 'model unknown'})`;
    case 'edit':
      return `${str('command') || 'Edit'} on ${clip}`;
    case 'decision': {
      const words = str('reasonLabel') || str('reason');
      return `${str('decision') === 'keep' ? 'Keep' : str('decision') === 'redact' ? 'Redact' : 'Undecided:'} region ${str('trackId')} on ${clip}${words ? `: ${words}` : ''}`;
    }
    case 'review': {
      const confirmation = p.confirmation as { reason?: unknown } | undefined;
      const watched = typeof p.framesWatched === 'number' && typeof p.frameCount === 'number' ? `${p.framesWatched} of ${p.frameCount} frames watched` : 'review recorded';
      return `Review of ${clip}: ${watched}${confirmation && typeof confirmation.reason === 'string' ? `; exported anyway: ${confirmation.reason}` : ''}`;
    }
    case 'export': {
      const forWhom = str('recipient') ? ` for ${str('recipient')}${str('purpose') ? ` (${str('purpose')})` : ''}` : str('purpose') ? ` (${str('purpose')})` : '';
      const sa = p.subjectAccess as { mode?: string; requestRef?: string; requesterRegions?: string[] } | undefined;
      const subject = sa ? `, subject access ${sa.requestRef} (${sa.mode}; requester ${(sa.requesterRegions ?? []).join(', ')})` : '';
      return `Exported ${clip} to ${str('outputPath')}${forWhom}${subject} (${hash('outputSha256')})`;
    }
    case 'verification':
      return `Verified ${str('target')}: ${p.intact === true ? 'intact' : 'NOT intact'}${str('detail') && p.intact !== true ? ` (${str('detail')})` : ''}`;
  }
}
