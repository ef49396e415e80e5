import { iou, type Box } from '../../common/geometry';
import { boxAtFrame, trackSpan, type Decision, type Track, type TrackLabel } from '../../common/track';

/**
 * The people gallery: one card per region, so a reviewer judges people rather than boxes. Everything
 * here is pure: which frame shows a region best, the cards in order, the filter, the multi-selection
 * and the merge suggestions.
 */

export interface Card {
  id: string;
  /** The region's number: its lane on the timeline, counted from 1. */
  number: number;
  first: number;
  last: number;
  /** The frame the card shows, and the box there. */
  bestFrame: number;
  box: Box;
  /** The detector's highest confidence, or null for a drawn region. */
  score: number | null;
  decision: Decision;
  /** What the region is: a face, text, a drawn region… (the label filter reads it). */
  label: TrackLabel;
}

/**
 * The frame that shows a region best: its highest-confidence detected keyframe, or, for a region with
 * no scores (drawn by hand), its middle keyframe. Null for a region that is never shown.
 */
export function bestFrame(track: Pick<Track, 'keyframes'>): { frame: number; box: Box; score: number | null } | null {
  const shown = track.keyframes.filter((k) => !k.outside);
  if (!shown.length) return null;
  let best = -1;
  shown.forEach((k, i) => {
    if (k.confidence !== undefined && (best < 0 || k.confidence > shown[best]!.confidence!)) best = i;
  });
  const k = shown[best >= 0 ? best : Math.floor((shown.length - 1) / 2)]!;
  return { frame: k.frame, box: { x: k.x, y: k.y, w: k.w, h: k.h }, score: best >= 0 ? k.confidence! : null };
}

/** One card per shown region, in order of first appearance (then lane order). */
export function galleryCards(tracks: readonly Track[], lastFrame: number): Card[] {
  const cards: Card[] = [];
  tracks.forEach((t, lane) => {
    const span = trackSpan(t, lastFrame);
    const best = bestFrame(t);
    if (!span || !best) return;
    cards.push({ id: t.id, number: lane + 1, first: span.first, last: span.last, bestFrame: best.frame, box: best.box, score: best.score, decision: t.decision, label: t.label });
  });
  return cards.sort((a, b) => a.first - b.first || a.number - b.number);
}

export type CardFilter = 'all' | 'undecided' | 'redact' | 'keep';

/** Cards with the decision `filter` asks for, and of the kind `kind` asks for (all kinds by default). */
export function filterCards(cards: readonly Card[], filter: CardFilter, kind: KindFilter = 'all'): Card[] {
  const ofKind = filterByKind(cards, kind);
  if (filter === 'all') return ofKind;
  const decision: Decision = filter === 'undecided' ? 'proposed' : filter;
  return ofKind.filter((c) => c.decision === decision);
}

/**
 * The label filter: faces and text are triaged in one list, shown together or one kind at a time.
 * A drawn region (label manual) or any other label is neither, so it shows under 'all' only.
 */
export type KindFilter = 'all' | 'faces' | 'text';

const KIND_OF: Partial<Record<TrackLabel, Exclude<KindFilter, 'all'>>> = { face: 'faces', head: 'faces', person: 'faces', text: 'text', plate: 'text', screen: 'text', document: 'text' };

export function kindOf(label: TrackLabel): Exclude<KindFilter, 'all'> | null {
  return KIND_OF[label] ?? null;
}

/** The regions (cards or tracks, in their order) of the kind `kind` asks for. */
export function filterByKind<T extends { label: TrackLabel }>(items: readonly T[], kind: KindFilter): T[] {
  return kind === 'all' ? items.slice() : items.filter((x) => kindOf(x.label) === kind);
}

/** A multi-selection in a list, as file managers keep it: the chosen ids and the anchor Shift extends from. */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null };

/**
 * A click (or Space / Enter) on `id` in `order`: alone it selects just that one; with Ctrl (or Cmd)
 * it toggles it; with Shift it selects the run from the anchor to it (added to the rest with Ctrl too).
 */
export function clickSelect(sel: Selection, order: readonly string[], id: string, mods: { shift?: boolean; ctrl?: boolean } = {}): Selection {
  if (mods.shift && sel.anchor !== null && order.includes(sel.anchor)) {
    const a = order.indexOf(sel.anchor);
    const b = order.indexOf(id);
    const run = order.slice(Math.min(a, b), Math.max(a, b) + 1);
    return { ids: new Set([...(mods.ctrl ? sel.ids : []), ...run]), anchor: sel.anchor };
  }
  if (mods.ctrl) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

/**
 * The keyboard in the gallery: the focus moves by `step` cards (±1 along a row, ±columns between
 * rows), staying in the list. With Shift the selection runs from the anchor to the new card; without,
 * the selection follows the focus. Returns the new focus and selection.
 */
export function keySelect(sel: Selection, order: readonly string[], focus: string | null, step: number, shift: boolean): { focus: string | null; selection: Selection } {
  if (!order.length) return { focus: null, selection: NO_SELECTION };
  const at = focus === null ? -1 : order.indexOf(focus);
  const next = order[at < 0 ? (step > 0 ? 0 : order.length - 1) : Math.max(0, Math.min(order.length - 1, at + step))]!;
  if (shift) {
    const anchor = sel.anchor !== null && order.includes(sel.anchor) ? sel.anchor : (focus ?? next);
    return { focus: next, selection: clickSelect({ ids: sel.ids, anchor }, order, next, { shift: true }) };
  }
  return { focus: next, selection: clickSelect(sel, order, next) };
}

/** Ids of `sel` still in `order` (cards filtered away or deleted drop out), in that order. */
export function selectedInOrder(sel: Selection, order: readonly string[]): string[] {
  return order.filter((id) => sel.ids.has(id));
}

export interface MergeCandidate {
  /** The earlier region and the later one. */
  a: string;
  b: string;
  /** Frames between a's last frame and b's first. */
  gap: number;
  /** Overlap (IoU) of a's last box and b's first box. */
  overlap: number;
}

/**
 * Regions that look like one person followed twice: one ends, and within `maxGap` frames another
 * starts at much the same place (their boxes at the two ends overlap by at least `minOverlap` IoU,
 * after each is grown by half its size, as a person moves a little during the gap). Each region is
 * paired with at most one later and one earlier region, nearest in time first. Only a suggestion: the
 * reviewer decides.
 */
export function mergeCandidates(tracks: readonly Track[], lastFrame: number, opts: { maxGap: number; minOverlap?: number }): MergeCandidate[] {
  const minOverlap = opts.minOverlap ?? 0.2;
  const spans = tracks
    .map((t) => ({ t, span: trackSpan(t, lastFrame) }))
    .filter((x): x is { t: Track; span: { first: number; last: number } } => x.span !== null);
  const pairs: MergeCandidate[] = [];
  for (const a of spans) {
    const endBox = boxAtFrame(a.t, a.span.last);
    if (!endBox) continue;
    for (const b of spans) {
      const gap = b.span.first - a.span.last - 1;
      if (b.t.id === a.t.id || gap < 0 || gap > opts.maxGap) continue;
      const startBox = boxAtFrame(b.t, b.span.first);
      const overlap = startBox ? iou(grown(endBox), grown(startBox)) : 0;
      if (overlap >= minOverlap) pairs.push({ a: a.t.id, b: b.t.id, gap, overlap });
    }
  }
  // Nearest in time first; each region continues into at most one and is continued by at most one.
  pairs.sort((x, y) => x.gap - y.gap || y.overlap - x.overlap);
  const ends = new Set<string>();
  const starts = new Set<string>();
  return pairs.filter((p) => {
    if (ends.has(p.a) || starts.has(p.b)) return false;
    ends.add(p.a);
    starts.add(p.b);
    return true;
  });
}

function grown(b: Box): Box {
  return { x: b.x - b.w / 4, y: b.y - b.h / 4, w: b.w * 1.5, h: b.h * 1.5 };
}

/** The ids suggested to merge with `id` (either way round), by place or by look. */
export function mergePartners(candidates: ReadonlyArray<{ a: string; b: string }>, id: string): string[] {
  return candidates.flatMap((c) => (c.a === id ? [c.b] : c.b === id ? [c.a] : []));
}
