import type { Track } from '../../common/track';

/**
 * The proposals of a detection run that are new to the clip, with ids that do not collide. Every run
 * numbers its tracks from face-0001, so a second run's face-0002 is usually another face than the clip's
 * face-0002: it is renumbered after the highest id in use, never dropped. Only a track that is already on
 * the clip, keyframe for keyframe (the same result taken up twice, after a reload), is left out.
 */
export function newProposals(existing: readonly Track[], proposals: readonly Track[]): Track[] {
  const byId = new Map(existing.map((t) => [t.id, t]));
  const used = new Set(byId.keys());
  const fresh: Track[] = [];
  for (const t of proposals) {
    const old = byId.get(t.id);
    if (old && sameKeyframes(old, t)) continue;
    const id = used.has(t.id) ? nextFreeId(t.id, used) : t.id;
    used.add(id);
    fresh.push(id === t.id ? t : { ...t, id });
  }
  return fresh;
}

function sameKeyframes(a: Track, b: Track): boolean {
  return JSON.stringify(a.keyframes) === JSON.stringify(b.keyframes);
}

/** `face-0002` taken: the next number after the highest `face-NNNN` in use, as wide as the others. */
function nextFreeId(id: string, used: ReadonlySet<string>): string {
  const m = /^(.*?)(\d+)$/.exec(id);
  const prefix = m ? m[1]! : `${id}-`;
  const width = m ? m[2]!.length : 4;
  let highest = 0;
  for (const u of used) {
    if (!u.startsWith(prefix)) continue;
    const n = Number(u.slice(prefix.length));
    if (Number.isInteger(n) && n > highest) highest = n;
  }
  for (let n = highest + 1; ; n++) {
    const candidate = `${prefix}${String(n).padStart(width, '0')}`;
    if (!used.has(candidate)) return candidate;
  }
}
