import { canonicalJson } from '../../common/canonical-json';
import type { CaseFile } from '../../common/case-file';
import { sha256Bytes } from '../media/hash';

/**
 * A case file's seal. The audit trail accounts for every region and audio range, but not for the rest
 * of what a case file holds and a bundle acts on: watched frames (review coverage), trims and output
 * settings, the case reference, which clips are in it, the trail's recorded head (so a trail cut short
 * together with its head). The seal is the SHA-256 of the canonical JSON of the file as stored, without
 * the seal and without clip paths: a path only says where the clip is on this machine and is changed
 * when a case moves, while the clip's SHA-256, sealed, says what it is. Like a report's seal it is a
 * checksum, not a signature: it shows a change made without resealing, not a deliberate forgery.
 */
export type CaseSealVerdict = 'holds' | 'broken' | 'absent';

type Unsealed = Omit<CaseFile, 'seal'>;

function caseSealDigest(value: Record<string, unknown>): string {
  const { seal: _seal, ...rest } = value;
  const clips = Array.isArray(rest.clips) ? rest.clips.map((clip) => (clip && typeof clip === 'object' ? { ...clip, path: undefined } : clip)) : rest.clips;
  return sha256Bytes(canonicalJson({ ...rest, clips }));
}

/** The case file with its seal; a seal it carried already is replaced. */
export function sealCase(value: Unsealed & { seal?: unknown }): CaseFile {
  // A JSON round trip: what is sealed is exactly what the file will hold.
  const { seal: _old, ...stored } = JSON.parse(JSON.stringify(value)) as Unsealed & { seal?: unknown };
  return { ...stored, seal: { algorithm: 'sha256', digest: caseSealDigest(stored) } };
}

/** Whether a case file, as read from disk (JSON, before validation), still holds its seal. */
export function caseSealVerdict(json: unknown): CaseSealVerdict {
  if (!json || typeof json !== 'object') return 'absent';
  const seal = (json as { seal?: { digest?: unknown } }).seal;
  if (seal === undefined) return 'absent';
  return caseSealDigest(json as Record<string, unknown>) === seal?.digest ? 'holds' : 'broken';
}
