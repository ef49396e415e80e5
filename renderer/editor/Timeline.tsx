import { useEffect, useRef, useState } from 'react';
import { trackSpan, type Track } from '../../common/track';
import { clampScrollTop, laneAtY, visibleLanes } from '../model/lane-layout';
import { frameCenterPx, frameToPx, makeView, pxToFrame, ticks, withScroll, zoomAt, type TimelineView } from '../model/timeline-scale';
import { DECISION_COLOURS, SELECTED_COLOUR } from './decision-colours';

export interface TimelineProps {
  view: TimelineView;
  fps: number;
  frame: number;
  tracks: Track[];
  selectedId: string | null;
  inPoint: number | null;
  outPoint: number | null;
  onSeek(frame: number): void;
  onSelect(trackId: string): void;
  onView(view: TimelineView): void;
}

const RULER = 24;
const LANE = 22;

/**
 * One lane per track: its span as a bar in the decision's colour, keyframes as ticks (manual ones
 * thicker), and a playhead that can be dragged along the ruler. Drawn on one canvas; the frame/pixel
 * mapping and the lanes in view come from renderer/model (timeline-scale, lane-layout), so only the
 * visible lanes are drawn however many tracks there are. Wheel scrolls lanes, Shift+wheel scrolls time,
 * Ctrl+wheel zooms at the pointer.
 */
export function Timeline(props: TimelineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const scrubbing = useRef(false);
  const [laneTop, setLaneTop] = useState(0);
  const { view } = props;

  // Keep the view's width equal to the element's.
  useEffect(() => {
    const el = wrap.current!;
    const observer = new ResizeObserver(() => {
      if (Math.round(el.clientWidth) !== Math.round(props.view.widthPx)) props.onView(makeView(props.view.frameCount, el.clientWidth, props.view.pxPerFrame, props.view.scrollPx));
    });
    observer.observe(el);
    return () => observer.disconnect();
  });

  const lanesHeight = () => Math.max(0, (wrap.current?.clientHeight ?? 0) - RULER);

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
    const lanes = visibleLanes({ laneCount: props.tracks.length, laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop });
    const last = view.frameCount - 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, RULER, width, height - RULER);
    ctx.clip();
    for (let i = lanes.first; i <= lanes.last; i++) {
      const t = props.tracks[i]!;
      const y = RULER + lanes.offsetY + (i - lanes.first) * LANE;
      if (i % 2) {
        ctx.fillStyle = '#1a1c20';
        ctx.fillRect(0, y, width, LANE);
      }
      const span = trackSpan(t, last);
      if (!span) continue;
      const x0 = frameToPx(view, span.first);
      const w = Math.max(2, (span.last - span.first + 1) * view.pxPerFrame);
      ctx.fillStyle = DECISION_COLOURS[t.decision];
      ctx.globalAlpha = t.id === props.selectedId ? 1 : 0.75;
      ctx.fillRect(x0, y + 4, w, LANE - 8);
      ctx.globalAlpha = 1;
      if (t.id === props.selectedId) {
        ctx.strokeStyle = SELECTED_COLOUR;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0, y + 3, w, LANE - 6);
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
    if (p.y < RULER) {
      scrubbing.current = true;
      (e.target as Element).setPointerCapture(e.pointerId);
    } else {
      const i = laneAtY(p.y - RULER, { laneCount: props.tracks.length, laneHeight: LANE, viewportHeight: lanesHeight(), scrollTop: laneTop });
      if (i !== null) props.onSelect(props.tracks[i]!.id);
    }
    props.onSeek(pxToFrame(view, p.x));
  };

  const onWheel = (e: React.WheelEvent) => {
    const p = local(e);
    if (e.ctrlKey) props.onView(zoomAt(view, e.deltaY < 0 ? 1.25 : 0.8, p.x));
    else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) props.onView(withScroll(view, view.scrollPx + (e.deltaX || e.deltaY)));
    else setLaneTop((top) => clampScrollTop(top + e.deltaY, props.tracks.length, LANE, lanesHeight()));
  };

  return (
    <div className="timeline" ref={wrap} onWheel={onWheel} data-testid="timeline" data-lanes={props.tracks.length}>
      <canvas
        ref={canvas}
        onPointerDown={onPointerDown}
        onPointerMove={(e) => scrubbing.current && props.onSeek(pxToFrame(view, local(e).x))}
        onPointerUp={() => (scrubbing.current = false)}
      />
    </div>
  );
}
