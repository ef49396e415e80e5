import { useEffect, useRef } from 'react';
import { trackSpan, type Track } from '../../common/track';
import { DECISION_COLOURS, SELECTED_COLOUR } from './decision-colours';

export interface TimelineProps {
  frameCount: number;
  frame: number;
  tracks: Track[];
  selectedId: string | null;
  /** Pixels per frame (zoom) and the first visible frame (scroll). */
  zoom: number;
  scroll: number;
  inPoint: number | null;
  outPoint: number | null;
  onSeek(frame: number): void;
  onSelect(trackId: string): void;
  onView(view: { zoom: number; scroll: number }): void;
}

const RULER = 24;
const LANE = 22;

/**
 * One lane per track: its span as a bar in the decision's colour, keyframes as ticks, and a playhead
 * that can be dragged along the ruler. Drawn on a canvas, lanes outside the view are not drawn.
 */
export function Timeline(props: TimelineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const scrubbing = useRef(false);
  const last = props.frameCount - 1;

  useEffect(() => {
    const c = canvas.current!;
    const width = wrap.current!.clientWidth;
    const height = RULER + Math.max(1, props.tracks.length) * LANE + 4;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#15171a';
    ctx.fillRect(0, 0, width, height);
    const x = (f: number) => (f - props.scroll) * props.zoom;

    // Ruler with labels at a spacing that stays readable at any zoom.
    ctx.fillStyle = '#23262b';
    ctx.fillRect(0, 0, width, RULER);
    const step = niceStep(80 / props.zoom);
    ctx.fillStyle = '#9aa0a6';
    ctx.font = '11px system-ui, sans-serif';
    for (let f = Math.ceil(props.scroll / step) * step; x(f) < width; f += step) {
      ctx.fillRect(x(f), RULER - 6, 1, 6);
      ctx.fillText(String(f), x(f) + 3, 14);
    }
    if (props.inPoint !== null || props.outPoint !== null) {
      ctx.fillStyle = 'rgba(62,155,255,0.25)';
      const a = props.inPoint ?? 0;
      const b = props.outPoint ?? last;
      ctx.fillRect(x(a), 0, (b - a + 1) * props.zoom, RULER);
    }

    // Lanes (only the rows in view are worth drawing; the wrapper scrolls vertically).
    const top = wrap.current!.scrollTop;
    const viewH = wrap.current!.clientHeight;
    props.tracks.forEach((t, i) => {
      const y = RULER + i * LANE;
      if (y + LANE < top || y > top + viewH) return;
      const span = trackSpan(t, last);
      if (i % 2) {
        ctx.fillStyle = '#1a1c20';
        ctx.fillRect(0, y, width, LANE);
      }
      if (!span) return;
      ctx.fillStyle = DECISION_COLOURS[t.decision];
      ctx.globalAlpha = t.id === props.selectedId ? 1 : 0.75;
      ctx.fillRect(x(span.first), y + 4, Math.max(2, (span.last - span.first + 1) * props.zoom), LANE - 8);
      ctx.globalAlpha = 1;
      if (t.id === props.selectedId) {
        ctx.strokeStyle = SELECTED_COLOUR;
        ctx.lineWidth = 2;
        ctx.strokeRect(x(span.first), y + 3, Math.max(2, (span.last - span.first + 1) * props.zoom), LANE - 6);
      }
      ctx.fillStyle = '#111';
      for (const k of t.keyframes) ctx.fillRect(x(k.frame), y + 6, k.source === 'manual' ? 3 : 1, LANE - 12);
    });

    // Playhead.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x(props.frame), 0, 1, height);
    ctx.beginPath();
    ctx.moveTo(x(props.frame) - 5, 0);
    ctx.lineTo(x(props.frame) + 6, 0);
    ctx.lineTo(x(props.frame) + 0.5, 8);
    ctx.fill();
  });

  const frameAt = (e: React.PointerEvent | React.WheelEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return Math.max(0, Math.min(last, Math.round(props.scroll + (e.clientX - r.left) / props.zoom)));
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    const y = e.clientY - r.top;
    if (y < RULER) {
      scrubbing.current = true;
      (e.target as Element).setPointerCapture(e.pointerId);
      props.onSeek(frameAt(e));
      return;
    }
    const track = props.tracks[Math.floor((y - RULER) / LANE)];
    if (track) props.onSelect(track.id);
    props.onSeek(frameAt(e));
  };

  const onWheel = (e: React.WheelEvent) => {
    const width = wrap.current!.clientWidth;
    if (e.ctrlKey) {
      const zoom = Math.max(width / Math.max(1, props.frameCount), Math.min(40, props.zoom * (e.deltaY < 0 ? 1.25 : 0.8)));
      const anchor = frameAt(e);
      const r = canvas.current!.getBoundingClientRect();
      props.onView({ zoom, scroll: clampScroll(anchor - (e.clientX - r.left) / zoom, zoom, width, props.frameCount) });
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      props.onView({ zoom: props.zoom, scroll: clampScroll(props.scroll + (e.deltaX || e.deltaY) / props.zoom, props.zoom, width, props.frameCount) });
    }
  };

  return (
    <div className="timeline" ref={wrap} onWheel={onWheel} data-testid="timeline" data-lanes={props.tracks.length}>
      <canvas
        ref={canvas}
        onPointerDown={onPointerDown}
        onPointerMove={(e) => scrubbing.current && props.onSeek(frameAt(e))}
        onPointerUp={() => (scrubbing.current = false)}
      />
    </div>
  );
}

function niceStep(raw: number): number {
  for (const s of [1, 2, 5, 10, 15, 30, 60, 150, 300, 600, 1500, 3000, 6000, 15000, 30000]) if (s >= raw) return s;
  return 60000;
}

export function clampScroll(scroll: number, zoom: number, width: number, frameCount: number): number {
  return Math.max(0, Math.min(Math.max(0, frameCount - width / zoom), scroll));
}
