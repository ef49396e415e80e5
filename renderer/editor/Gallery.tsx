import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clickSelect, filterByKind, filterCards, keySelect, mergePartners, NO_SELECTION, selectedInOrder, type Card, type CardFilter, type KindFilter, type MergeCandidate, type Selection } from '../model/gallery';
import { formatTime } from './frame-clock';
import type { LookAlike } from '../model/appearance';
import { holdCrops } from './use-crops';

export interface GalleryProps {
  cards: readonly Card[];
  crops: ReadonlyMap<string, string>;
  frameTimes: readonly number[];
  /** The region selected in the editor: its card is marked and scrolled into view. */
  currentId: string | null;
  /** Suggested as one person: by place (one ends where another starts soon after)… */
  candidates: readonly MergeCandidate[];
  /** …and by look (their pictures alike, at any gap). */
  alike: readonly LookAlike[];
  /** The kind shown (faces, text or all): the editor's, as the timeline's lanes follow it too. */
  kind: KindFilter;
  onKind(kind: KindFilter): void;
  /** Go to the card's best frame with its region selected. */
  onOpen(card: Card): void;
  onRedact(ids: string[]): void;
  /** Keep with the reason chosen beside the Keep button. */
  onKeep(ids: string[]): void;
  onMerge(ids: string[]): void;
  onDelete(ids: string[]): void;
  /** The keep reason picker, shown with the bulk actions. */
  keepReason: React.ReactNode;
  /** Mean time to grab one crop (ms), shown for measurement. */
  msPerCrop?: number | null;
}

// 'Any' decision, beside the kinds' 'All': two rows of filters, each word once.
const FILTERS: Array<[CardFilter, string]> = [['all', 'Any'], ['undecided', 'Undecided'], ['redact', 'Redact'], ['keep', 'Keep']];
const KINDS: Array<[KindFilter, string]> = [['all', 'All'], ['faces', 'Faces'], ['text', 'Text']];
const DECISION_WORD = { proposed: 'undecided', redact: 'redact', keep: 'keep' } as const;

/**
 * The people gallery: a card per region with its picture at its best frame, to triage people rather
 * than boxes. Cards multi-select like files (click, Shift, Ctrl; arrows with Shift; Ctrl+A); the
 * chosen cards are redacted, kept, merged or deleted together, each as one undoable step. Keys inside
 * the gallery: arrows move, Enter opens, Space toggles, A redact, R keep, M merge, Delete.
 */
export function Gallery(props: GalleryProps) {
  const [filter, setFilter] = useState<CardFilter>('all');
  const [sel, setSel] = useState<Selection>(NO_SELECTION);
  const [focus, setFocus] = useState<string | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  const ofKind = useMemo(() => filterByKind(props.cards, props.kind), [props.cards, props.kind]);
  const shown = useMemo(() => filterCards(ofKind, filter), [ofKind, filter]);
  const order = useMemo(() => shown.map((c) => c.id), [shown]);
  const chosen = selectedInOrder(sel, order);
  const byId = useMemo(() => new Map(props.cards.map((c) => [c.id, c])), [props.cards]);
  // Decisions counted among the kind shown; kinds counted among all regions.
  const counts = useMemo(() => ({ all: ofKind.length, undecided: filterCards(ofKind, 'undecided').length, redact: filterCards(ofKind, 'redact').length, keep: filterCards(ofKind, 'keep').length }), [ofKind]);
  const kindCounts = useMemo(() => ({ all: props.cards.length, faces: filterByKind(props.cards, 'faces').length, text: filterByKind(props.cards, 'text').length }), [props.cards]);

  // The editor's selected region (chosen with ] or on the video) comes into view here too.
  useEffect(() => {
    if (props.currentId) grid.current?.querySelector(`[data-card="${CSS.escape(props.currentId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [props.currentId]);
  useEffect(() => {
    if (focus) grid.current?.querySelector(`[data-card="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focus]);

  const columns = () => {
    const first = grid.current?.querySelector<HTMLElement>('[data-card]');
    return first ? Math.max(1, Math.round((grid.current!.clientWidth) / first.offsetWidth)) : 1;
  };

  const act = (what: (ids: string[]) => void) => {
    if (chosen.length) what(chosen);
  };

  const numbersOf = (ids: string[]) => ids.map((id) => byId.get(id)?.number).filter((n): n is number => n !== undefined).join(', #');

  // One click handler for every card, stable across renders, so a card re-renders only when its own props change.
  const clickRef = useRef<(c: Card, e: React.MouseEvent) => void>(() => {});
  clickRef.current = (c, e) => {
    const mods = { shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey };
    setSel(clickSelect(sel, order, c.id, mods));
    setFocus(c.id);
    if (!mods.shift && !mods.ctrl) props.onOpen(c);
  };
  const onCardClick = useCallback((c: Card, e: React.MouseEvent) => clickRef.current(c, e), []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const move = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns(), ArrowDown: columns(), Home: -Infinity, End: Infinity }[e.key];
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    if (move !== undefined) {
      const step = Number.isFinite(move) ? move : move > 0 ? order.length : -order.length;
      const r = keySelect(sel, order, focus, step, e.shiftKey);
      setFocus(r.focus);
      setSel(r.selection);
    } else if (ctrl && e.key.toLowerCase() === 'a') setSel({ ids: new Set(order), anchor: order[0] ?? null });
    else if (e.key === ' ' && focus) setSel(clickSelect(sel, order, focus, { ctrl: true }));
    else if (e.key === 'Enter' && focus && byId.get(focus)) props.onOpen(byId.get(focus)!);
    else if (!ctrl && e.key.toLowerCase() === 'a') act(props.onRedact);
    else if (!ctrl && e.key.toLowerCase() === 'r') act(props.onKeep);
    else if (!ctrl && e.key.toLowerCase() === 'm' && chosen.length > 1) act(props.onMerge);
    else if (e.key === 'Delete' || e.key === 'Backspace') act(props.onDelete);
    else if (e.key === 'Escape') setSel(NO_SELECTION);
    else handled = false;
    // The editor's own shortcuts (arrows step frames, A redacts the selected region) stay out of it.
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <section className="gallery" aria-label="People" data-testid="gallery" data-ms-per-crop={props.msPerCrop ?? ''} data-crops={props.crops.size}>
      <div className="gallery-head">
        <h3>People ({props.cards.length})</h3>
        <div className="filters" role="radiogroup" aria-label="Kind">
          {KINDS.map(([k, label]) => (
            <button key={k} role="radio" aria-checked={props.kind === k} className={props.kind === k ? 'active' : ''} onClick={() => props.onKind(k)} data-testid={`gallery-kind-${k}`}>
              {label} {kindCounts[k]}
            </button>
          ))}
        </div>
        <div className="filters" role="radiogroup" aria-label="Decision">
          {FILTERS.map(([f, label]) => (
            <button key={f} role="radio" aria-checked={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)} data-testid={`gallery-filter-${f}`}>
              {label} {counts[f]}
            </button>
          ))}
        </div>
      </div>
      <div className="gallery-actions">
        <span className="muted" data-testid="gallery-chosen">{chosen.length ? `${chosen.length} chosen` : 'Choose cards: click, Shift, Ctrl'}</span>
        <button onClick={() => act(props.onRedact)} disabled={!chosen.length} title="Redact the chosen regions (A)" data-testid="gallery-redact">Redact</button>
        <button onClick={() => act(props.onKeep)} disabled={!chosen.length} title="Keep the chosen regions with the reason beside (R)" data-testid="gallery-keep">Keep</button>
        <button onClick={() => act(props.onMerge)} disabled={chosen.length < 2} title="Merge the chosen regions into one: one person (M)" data-testid="gallery-merge">Merge</button>
        <button onClick={() => act(props.onDelete)} disabled={!chosen.length} title="Delete the chosen regions (Delete)" data-testid="gallery-delete">Delete</button>
        {props.keepReason}
      </div>
      <div
        className="cards"
        ref={grid}
        role="listbox"
        aria-multiselectable="true"
        aria-label="Regions"
        tabIndex={0}
        aria-activedescendant={focus ? `card-${focus}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={holdCrops}
        data-testid="gallery-cards"
      >
        {shown.map((c) => (
          <CardView
            key={c.id}
            card={c}
            crop={props.crops.get(c.id)}
            start={formatTime(props.frameTimes[c.first] ?? 0).replace(/^00:/, '')}
            partners={numbersOf(mergePartners(props.candidates, c.id))}
            alike={numbersOf(mergePartners(props.alike, c.id))}
            chosen={sel.ids.has(c.id)}
            focused={c.id === focus}
            current={c.id === props.currentId}
            onCardClick={onCardClick}
          />
        ))}
        {!shown.length && <p className="muted">{props.cards.length ? 'No regions match this filter.' : 'No regions yet: detect or draw a region.'}</p>}
      </div>
    </section>
  );
}

interface CardViewProps {
  card: Card;
  crop: string | undefined;
  /** When the region starts, as shown. */
  start: string;
  /** The numbers of the regions suggested as the same person by place, joined ("3, #7"), or empty. */
  partners: string;
  /** …and by look. */
  alike: string;
  chosen: boolean;
  focused: boolean;
  current: boolean;
  onCardClick(c: Card, e: React.MouseEvent): void;
}

/**
 * One card. Memoised: with 300 regions, a crop arriving or the playhead moving re-renders only the
 * cards whose own props changed (see BENCHMARKS.md, "Timeline and gallery smoothness").
 */
const CardView = memo(function CardView({ card: c, crop, start, partners, alike, chosen, focused, current, onCardClick }: CardViewProps) {
  return (
    <div
      id={`card-${c.id}`}
      role="option"
      aria-selected={chosen}
      className={`card ${c.decision}${chosen ? ' chosen' : ''}${focused ? ' focused' : ''}${current ? ' current' : ''}`}
      data-card={c.id}
      data-label={c.label}
      data-testid="card"
      title={`Region ${c.number}: frames ${c.first}–${c.last}. Click to go to its best frame; Ctrl or Shift to choose several.`}
      onClick={(e) => onCardClick(c, e)}
    >
      <div className="crop">
        {crop ? <img src={crop} alt="" data-testid="card-crop" /> : <span className="muted">…</span>}
        <span className="kind">{c.label}</span>
      </div>
      <div className="card-line">
        <b>#{c.number}</b> <span className={`badge ${c.decision}`}>{DECISION_WORD[c.decision]}</span>
      </div>
      <div className="card-line muted">
        {start} · {c.last - c.first + 1}{'\u00a0'}fr{c.score !== null ? ` · ${Math.round(c.score * 100)}%` : ' · drawn'}
      </div>
      {partners && (
        <div className="card-line suggest" data-testid="card-suggest" title="It ends where this one starts soon after, or the other way round: merge them if they are one person">same person as #{partners}?</div>
      )}
      {alike && (
        <div className="card-line suggest" data-testid="card-alike" title="Their pictures look alike: merge them if they are one person">looks like #{alike}?</div>
      )}
    </div>
  );
});
