import { useEffect, useRef, useState } from 'react';
import { holdCrops } from './use-crops';
import type { AudioRedaction } from '../../common/plan';
import { trackSpan, type Track } from '../../common/track';
import { clampScrollTop, laneAtY, scrollTopToShow, visibleLanes } from '../model/lane-layout';
import { frameCenterPx, frameToPx, makeView, pxToFrame, ticks, withScroll, zoomAt, type TimelineView } from '../model/timeline-scale';
import { loudestBetween, type Peaks } from '../model/waveform';
import { DECISION_COLOURS, SELECTED_COLOUR } from './decision-colours';

export interface TimelineProps {
  view: TimelineView;
  fps: number;
  frame: number;
  tracks: Track[];
  selectedId: string | null;
  /** A second track picked with Shift (drawn dashed). */
  secondId?: string | null;
  inPoint: number | null;
  outPoint: number | null;
  /** Stretches of frames the reviewer has not watched (inclusive), marked along the ruler. */
  unwatched?: ReadonlyArray<readonly [number, number]>;
  onSeek(frame: number): void;
  /** `additive`: Shift held, to pick a second track (e.g. to merge). */
  onSelect(trackId: string, additive: boolean): void;
  onView(view: TimelineView): void;
  /** The waveform (loudest sample per bucket), or null while it loads or without audio. */
  peaks: Peaks | null;
  frameTimes: readonly number[];
  audio: readonly AudioRedaction[];
  selectedAudioId: string | null;
  /** A range dragged on the audio lane, in seconds. */
  onAudioRange(start: number, end: number): void;
  onSelectAudio(id: string | null): void;
  /** Thumbnails, one per `intervalSeconds` of the clip, loaded as images. */
  thumbs: { intervalSeconds: number; images: HTMLImageElement[] } | null;
  /** Detection's tracks so far while it runs: extra lanes after the clip's own, hatched, not selectable. */
  provisional?: Track[];
  /** A lane's start or end edge dragged to a new frame: the region's new span (inclusive). */
  onSpanChange?(trackId: string, first: number, last: number): void;
  /** Each region's number (as in the gallery), shown in its lane's label. */
  numbers?: ReadonlyMap<string, number>;
  /** Each region's crop (gallery pictures), shown small in its lane's label. */
  crops?: ReadonlyMap<string, string>;
  /** The timeline's height in px (the splitter above it sets it). */
  height?: number;
}

const RULER = 24;
const THUMBS = 40;
const AUDIO = 36;
const AUDIO_TOP = RULER + THUMBS;
const LANES_TOP = AUDIO_TOP + AUDIO;
const LANE = 22;
/** How near (px) a lane bar's end the pointer must be to drag that end. */
const EDGE = 5;

type SpanDrag = { trackId: string; edge: 'start' | 'end'; first: number; last: number; moved: boolean };

/**
 * One lane per track: its span as a bar in the decision's colour, keyframes as ticks (manual ones
 * thicker), and a playhead that can be dragged along the ruler. Drawn on one canvas; the frame/pixel
 * mapping and the lanes in view come from renderer/model (timeline-scale, lane-layout), so only the
 * visible lanes are drawn however many tracks there are. A lane bar's start or end can be dragged to
 * shorten or extend the region, with the playhead following the edge so the frame is seen. Wheel scrolls lanes, Shift+wheel scrolls time,
 * Ctrl+wheel zooms at the pointer.
 */
export function Timeline(props: TimelineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const scrubbing = useRef(false);
  const audioDrag = useRef<{ from: number; to: number } | null>(null);
  const [spanDrag, setSpanDrag] = useState<SpanDrag | null>(null);
  const [laneTop, setLaneTop] = useState(0);
  const { view } = props;

  // The selected region's lane comes into view (chosen with ], in the gallery or on the video).
  useEffect(() => {
    const i = props.tracks.findIndex((t) => t.id === props.selectedId);
    if (i < 0) return;
    setLaneTop((top) => scrollTopToShow(i, { laneCount: props.tracks.length + (props.provisional?.length ?? 0), laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: top }));
  }, [props.selectedId, props.tracks]);

  // Keep the view's width equal to the element's.
  useEffect(() => {
    const el = wrap.current!;
    const observer = new ResizeObserver(() => {
      if (Math.round(el.clientWidth) !== Math.round(props.view.widthPx)) props.onView(makeView(props.view.frameCount, el.clientWidth, props.view.pxPerFrame, props.view.scrollPx));
    });
    observer.observe(el);
    return () => observer.disconnect();
  });

  // The wrapper's border takes a pixel of the height it is given.
  const lanesHeight = () => Math.max(0, (props.height ? props.height - 1 : (wrap.current?.clientHeight ?? 0)) - LANES_TOP);
  const timeOf = (frame: number) => props.frameTimes[frame] ?? frame / props.fps;
  // Seconds -> viewport x, through the frame whose time it falls in (exact also for VFR).
  const xOfTime = (t: number) => {
    let lo = 0;
    let hi = props.frameTimes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (props.frameTimes[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const f0 = props.frameTimes[lo] ?? 0;
    const f1 = props.frameTimes[lo + 1] ?? f0 + 1 / props.fps;
    return frameToPx(view, lo + Math.min(1, (t - f0) / Math.max(1e-9, f1 - f0)));
  };

  useEffect(() => {
    const c = canvas.current!;
    const width = view.widthPx;
    const height = wrap.current!.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
    }
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#15171a';
    ctx.fillRect(0, 0, width, height);

    // Lanes in view only.
    const provisional = props.provisional ?? [];
    const lanes = visibleLanes({ laneCount: props.tracks.length + provisional.length, laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop });
    const last = view.frameCount - 1;
    // Thumbnails: each at the start of its slice, skipped where the previous one still covers it.
    ctx.fillStyle = '#0e0f11';
    ctx.fillRect(0, RULER, width, THUMBS);
    if (props.thumbs) {
      let drawnTo = -Infinity;
      props.thumbs.images.forEach((img, i) => {
        if (!img.complete || !img.naturalHeight) return;
        const x = xOfTime(i * props.thumbs!.intervalSeconds);
        const w = (img.naturalWidth * (THUMBS - 4)) / img.naturalHeight;
        if (x < drawnTo || x > width || x + w < 0) return;
        ctx.drawImage(img, x, RULER + 2, w, THUMBS - 4);
        drawnTo = x + w + 2;
      });
    }

    // Audio lane: waveform, then the mute/bleep ranges over it.
    ctx.fillStyle = '#111316';
    ctx.fillRect(0, AUDIO_TOP, width, AUDIO);
    if (props.peaks && props.peaks.peaks.length) {
      const mid = AUDIO_TOP + AUDIO / 2;
      // Normalised to the clip's loudest moment, so quiet speech is still visible.
      const loudest = props.peaks.peaks.reduce((m, p) => (p > m ? p : m), 1e-3);
      ctx.fillStyle = '#5f8fbf';
      for (let x = 0; x < width; x++) {
        const peak = loudestBetween(props.peaks, timeOf(pxToFrame(view, x)), timeOf(pxToFrame(view, x + 1)));
        const h = Math.max(1, (peak / loudest) * (AUDIO - 6));
        ctx.fillRect(x, mid - h / 2, 1, h);
      }
    }
    const drawRange = (start: number, end: number, colour: string, selected: boolean) => {
      const x0 = xOfTime(start);
      ctx.fillStyle = colour;
      ctx.fillRect(x0, AUDIO_TOP + 2, Math.max(2, xOfTime(end) - x0), AUDIO - 4);
      if (selected) {
        ctx.strokeStyle = SELECTED_COLOUR;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0, AUDIO_TOP + 2, Math.max(2, xOfTime(end) - x0), AUDIO - 4);
      }
    };
    for (const a of props.audio) drawRange(a.start, a.end, a.mode === 'mute' ? 'rgba(229,72,77,0.45)' : 'rgba(163,102,255,0.45)', a.id === props.selectedAudioId);
    const d = audioDrag.current;
    if (d) drawRange(Math.min(d.from, d.to), Math.max(d.from, d.to), 'rgba(62,155,255,0.35)', false);

    ctx.save();
    ctx.beginPath();
    ctx.rect(0, LANES_TOP, width, height - LANES_TOP);
    ctx.clip();
    for (let i = lanes.first; i <= lanes.last; i++) {
      const y = LANES_TOP + lanes.offsetY + (i - lanes.first) * LANE;
      if (i % 2) {
        ctx.fillStyle = '#1a1c20';
        ctx.fillRect(0, y, width, LANE);
      }
      if (i >= props.tracks.length) {
        drawProvisionalLane(ctx, view, provisional[i - props.tracks.length]!, y, last);
        continue;
      }
      const t = props.tracks[i]!;
      const span = spanDrag?.trackId === t.id ? spanDrag : trackSpan(t, last);
      if (!span) continue;
      const x0 = frameToPx(view, span.first);
      const w = Math.max(2, (span.last - span.first + 1) * view.pxPerFrame);
      ctx.fillStyle = DECISION_COLOURS[t.decision];
      ctx.globalAlpha = t.id === props.selectedId ? 1 : 0.75;
      ctx.fillRect(x0, y + 4, w, LANE - 8);
      ctx.globalAlpha = 1;
      if (t.id === props.selectedId || t.id === props.secondId) {
        ctx.strokeStyle = SELECTED_COLOUR;
        ctx.lineWidth = 2;
        if (t.id === props.secondId) ctx.setLineDash([4, 3]);
        ctx.strokeRect(x0, y + 3, w, LANE - 6);
        ctx.setLineDash([]);
      }
      ctx.fillStyle = '#111';
      for (const k of t.keyframes) ctx.fillRect(frameToPx(view, k.frame), y + 6, k.source === 'manual' ? 3 : 1, LANE - 12);
    }
    ctx.restore();

    // Ruler, in/out range and labels.
    ctx.fillStyle = '#23262b';
    ctx.fillRect(0, 0, width, RULER);
    if (props.inPoint !== null || props.outPoint !== null) {
      const a = props.inPoint ?? 0;
      const b = props.outPoint ?? last;
      ctx.fillStyle = 'rgba(62,155,255,0.25)';
      ctx.fillRect(frameToPx(view, a), 0, (b - a + 1) * view.pxPerFrame, height);
    }
    // Unwatched stretches: an amber band along the top of the ruler (review coverage).
    ctx.fillStyle = '#f5a524';
    for (const [a, b] of props.unwatched ?? []) ctx.fillRect(frameToPx(view, a), 0, Math.max(1, (b - a + 1) * view.pxPerFrame), 4);
    ctx.fillStyle = '#9aa0a6';
    ctx.font = '11px system-ui, sans-serif';
    for (const f of ticks(view, props.fps)) {
      const x = frameToPx(view, f);
      ctx.fillRect(x, RULER - 6, 1, 6);
      ctx.fillText(String(f), x + 3, 14);
    }

    // Playhead.
    const px = frameCenterPx(view, props.frame);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(px, 0, 1, height);
    ctx.beginPath();
    ctx.moveTo(px - 5, 0);
    ctx.lineTo(px + 6, 0);
    ctx.lineTo(px + 0.5, 8);
    ctx.fill();
  });

  const local = (e: React.PointerEvent | React.WheelEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const p = local(e);
    if (p.y < AUDIO_TOP) {
      scrubbing.current = true;
      (e.target as Element).setPointerCapture(e.pointerId);
    } else if (p.y < LANES_TOP) {
      // Audio lane.
      // On a range: select it. Elsewhere: drag out a new range.
      const t = timeAtX(p.x);
      const hit = props.audio.find((a) => t >= a.start && t <= a.end);
      props.onSelectAudio(hit?.id ?? null);
      if (!hit) {
        audioDrag.current = { from: t, to: t };
        (e.target as Element).setPointerCapture(e.pointerId);
      }
      return;
    } else {
      const i = laneAtY(p.y - LANES_TOP, { laneCount: props.tracks.length + (props.provisional?.length ?? 0), laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop });
      if (i !== null && i < props.tracks.length) {
        const t = props.tracks[i]!;
        props.onSelect(t.id, e.shiftKey);
        const edge = props.onSpanChange && !e.shiftKey ? edgeAt(t, p.x) : null;
        if (edge) {
          const span = trackSpan(t, lastFrame())!;
          setSpanDrag({ trackId: t.id, edge, first: span.first, last: span.last, moved: false });
          (e.target as Element).setPointerCapture(e.pointerId);
          props.onSeek(edge === 'start' ? span.first : span.last);
          return;
        }
      }
    }
    props.onSeek(pxToFrame(view, p.x));
  };

  const lastFrame = () => Math.max(0, props.frameTimes.length - 1);

  /** Which end of the track's lane bar is under x, if either. */
  const edgeAt = (t: Track, x: number): SpanDrag['edge'] | null => {
    const span = trackSpan(t, lastFrame());
    if (!span) return null;
    if (Math.abs(x - frameToPx(view, span.first)) <= EDGE) return 'start';
    if (Math.abs(x - frameToPx(view, span.last + 1)) <= EDGE) return 'end';
    return null;
  };

  const timeAtX = (x: number) => {
    const f = pxToFrame(view, x);
    return Math.max(0, timeOf(f) + ((x + view.scrollPx) / view.pxPerFrame - f) * (timeOf(f + 1) - timeOf(f) || 1 / props.fps));
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const p = local(e);
    if (spanDrag) {
      // The dragged end goes to the frame boundary nearest the pointer, as it sits on one to begin with.
      const boundary = Math.round((p.x + view.scrollPx) / view.pxPerFrame);
      const next =
        spanDrag.edge === 'start'
          ? { ...spanDrag, first: Math.max(0, Math.min(boundary, spanDrag.last)) }
          : { ...spanDrag, last: Math.min(lastFrame(), Math.max(boundary - 1, spanDrag.first)) };
      if (next.first !== spanDrag.first || next.last !== spanDrag.last) {
        setSpanDrag({ ...next, moved: true });
        props.onSeek(spanDrag.edge === 'start' ? next.first : next.last);
      }
      return;
    }
    // Over a lane bar's end, the pointer says it can be dragged.
    if (!scrubbing.current && !audioDrag.current && p.y >= LANES_TOP) {
      const i = laneAtY(p.y - LANES_TOP, { laneCount: props.tracks.length, laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop });
      canvas.current!.style.cursor = props.onSpanChange && i !== null && props.tracks[i] && edgeAt(props.tracks[i]!, p.x) ? 'ew-resize' : '';
    }
    if (scrubbing.current) props.onSeek(pxToFrame(view, p.x));
    else if (audioDrag.current) {
      audioDrag.current = { ...audioDrag.current, to: timeAtX(p.x) };
      props.onView({ ...view });
    }
  };

  const onPointerUp = () => {
    if (spanDrag) {
      setSpanDrag(null);
      if (spanDrag.moved) props.onSpanChange?.(spanDrag.trackId, spanDrag.first, spanDrag.last);
      return;
    }
    scrubbing.current = false;
    const d = audioDrag.current;
    audioDrag.current = null;
    if (d && Math.abs(d.to - d.from) > 0.05) props.onAudioRange(Math.min(d.from, d.to), Math.max(d.from, d.to));
    else if (d) props.onView({ ...view });
  };

  const onWheel = (e: React.WheelEvent) => {
    holdCrops();
    const p = local(e);
    if (e.ctrlKey) props.onView(zoomAt(view, e.deltaY < 0 ? 1.25 : 0.8, p.x));
    else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) props.onView(withScroll(view, view.scrollPx + (e.deltaX || e.deltaY)));
    else setLaneTop((top) => clampScrollTop(top + e.deltaY, props.tracks.length + (props.provisional?.length ?? 0), LANE, lanesHeight()));
  };

  // Lane labels beside the canvas: the lanes in view, at the canvas's own lane positions.
  const labelWindow = visibleLanes({ laneCount: props.tracks.length, laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop, overscan: 0 });
  const labels = [];
  for (let i = labelWindow.first; i <= labelWindow.last; i++) {
    const t = props.tracks[i]!;
    const top = LANES_TOP + labelWindow.offsetY + (i - labelWindow.first) * LANE;
    if (top + LANE <= LANES_TOP) continue;
    const crop = props.crops?.get(t.id);
    labels.push(
      <button
        key={t.id}
        className={`lane-label${t.id === props.selectedId ? ' selected' : ''}`}
        style={{ top, borderLeftColor: DECISION_COLOURS[t.decision] }}
        onClick={(e) => props.onSelect(t.id, e.shiftKey)}
        title={`Region ${props.numbers?.get(t.id) ?? i + 1} (${t.decision === 'proposed' ? 'undecided' : t.decision})`}
        data-testid="lane-label"
        tabIndex={-1}
      >
        {crop ? <img src={crop} alt="" /> : <span className="no-crop" />}#{props.numbers?.get(t.id) ?? i + 1}
      </button>,
    );
  }

  return (
    <div className="timeline-wrap" style={props.height ? { height: props.height } : undefined} onWheel={onWheel} data-testid="timeline-wrap">
      <div className="lane-labels" aria-hidden="false">
        <div className="lane-labels-head" style={{ height: LANES_TOP }}>
          <span>frames</span>
          <span style={{ top: AUDIO_TOP }}>audio</span>
        </div>
        {labels}
      </div>
      <div className="timeline" ref={wrap} data-testid="timeline" data-lanes={props.tracks.length} data-audio-ranges={props.audio.length} data-waveform={props.peaks?.peaks.length ?? 0} data-thumbnails={props.thumbs?.images.length ?? 0} data-unwatched={(props.unwatched ?? []).map(([a, b]) => `${a}-${b}`).join(' ')} data-px-per-frame={view.pxPerFrame} data-scroll-px={view.scrollPx} data-lane-top={laneTop}>
        <canvas
          ref={canvas}
          data-provisional={props.provisional?.length ?? 0}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        />
      </div>
    </div>
  );
}

/**
 * A provisional lane: the span outlined dashed in the proposal colour over a faint fill; no keyframes.
 * Cut at its last keyframe: detection has not looked further yet, so the track's hold-to-end is not news.
 */
function drawProvisionalLane(ctx: CanvasRenderingContext2D, view: TimelineView, t: Track, y: number, last: number) {
  const span = trackSpan(t, Math.min(last, t.keyframes[t.keyframes.length - 1]?.frame ?? last));
  if (!span) return;
  const x0 = frameToPx(view, span.first);
  const w = Math.max(2, (span.last - span.first + 1) * view.pxPerFrame);
  ctx.fillStyle = DECISION_COLOURS.proposed;
  ctx.globalAlpha = 0.25;
  ctx.fillRect(x0, y + 4, w, LANE - 8);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = DECISION_COLOURS.proposed;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.strokeRect(x0 + 0.5, y + 4.5, w - 1, LANE - 9);
  ctx.setLineDash([]);
}
