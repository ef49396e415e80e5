import { useEffect, useRef, useState } from 'react';
import { intersection, type Box } from '../../common/geometry';
import { panBy, zoomAt, zoomTransform, NO_ZOOM, type VideoZoom } from '../model/video-zoom';
import type { RedactionStyle } from '../../common/style';
import { boxAtFrame, type Track } from '../../common/track';
import type { ClipFacts } from '../../common/api';
import { DECISION_COLOURS, SELECTED_COLOUR } from './decision-colours';
import { frameAtTime, seekTimeForFrame } from './frame-clock';
import { AudioPreview } from './audio-preview';
import { soundAt } from '../model/sound-as-exported';
import type { AudioRedaction } from '../../common/plan';

export interface PlayerProps {
  url: string;
  facts: ClipFacts;
  /** The video's media time of the first frame (ClipFacts.playerStart for the file at `url`). */
  startSeconds: number;
  frame: number;
  playing: boolean;
  /** Playback rate for forward play (L pressed repeatedly doubles it). */
  rate: number;
  tracks: Track[];
  selectedId: string | null;
  drawing: boolean;
  preview: boolean;
  defaultStyle: RedactionStyle;
  /**
   * While playing, a new frame on screen. `from` is the frame shown before it (as the video reported
   * it, not as React last rendered it) and `presentedAll` whether every frame between was presented.
   */
  onFrame(frame: number, shown?: { from: number; presentedAll: boolean }): void;
  /** The video cannot be loaded (its file is missing, moved or unreadable). */
  onUnplayable?(): void;
  onEnded(): void;
  onSelect(trackId: string | null): void;
  /** A finished move or resize of the selected track's box at the current frame. */
  onBoxChange(trackId: string, box: Box): void;
  /** A new region drawn while `drawing`. */
  onDraw(box: Box): void;
  /** Detection's tracks so far while it runs: drawn dashed, not selectable, not previewed. */
  provisional?: Track[];
  /** Boxes to point out at their frame (the leak check's findings): drawn in red, not selectable. */
  marks?: ReadonlyArray<{ frame: number; box: Box }>;
  /** Mute and bleep ranges (seconds from the first frame): heard as exported while playing with the preview on. */
  audioRanges?: ReadonlyArray<Pick<AudioRedaction, 'start' | 'end' | 'mode'>>;
  /** Zoom and pan (renderer/model/video-zoom.ts): the wheel zooms at the pointer, a drag off the boxes pans. */
  zoom?: VideoZoom;
  onZoom?(zoom: VideoZoom): void;
  /** Regions already decided are not drawn (nor picked), except the selected one. */
  hideDecided?: boolean;
}

type Drag = { kind: 'move' | 'resize' | 'draw'; trackId: string | null; start: { x: number; y: number }; origin: Box; current: Box };

/** The resize handle's size in screen px, whatever the zoom. */
const HANDLE = 10;

/**
 * Where the resize handle of a box sits (its centre), `hs` being its size in source px: on the
 * bottom-right corner, or, for a box too small to leave room to grab its inside, just outside it so the
 * whole box stays a move area.
 */
function handleAt(b: Box, hs: number): { x: number; y: number } {
  const outside = Math.min(b.w, b.h) < 3 * hs;
  return outside ? { x: b.x + b.w + hs / 2, y: b.y + b.h + hs / 2 } : { x: b.x + b.w, y: b.y + b.h };
}

/** A region shown (and picked) on the video: every one, or with decided ones hidden, the undecided and the selected. */
function shownOnVideo(t: Track, p: Pick<PlayerProps, 'hideDecided' | 'selectedId'>): boolean {
  return !p.hideDecided || t.decision === 'proposed' || t.id === p.selectedId;
}
const LEAK_COLOUR = '#ff2d2d';

/**
 * The video with the regions of the current frame drawn over it, in step with the decoded frame
 * (requestVideoFrameCallback). While paused the frame number drives the video; while playing the
 * video drives the frame number.
 */
export function Player(props: PlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const dragRef = useRef(drag);
  dragRef.current = drag;
  const audio = useRef<AudioPreview | null>(null);
  const shownFrame = useRef(-1);
  // The video's count of presented frames when shownFrame was shown (requestVideoFrameCallback metadata).
  const shownPresented = useRef(0);

  const { width, height } = props.facts.video;
  // The shape Chromium shows the picture at: not width / height where pixels are not square (CCTV and
  // DVD-style footage). The overlay keeps stored pixels, stretched over exactly that shape.
  const [shownAspect, setShownAspect] = useState<number | null>(null);
  const onShape = () => {
    const v = video.current;
    if (v && v.videoWidth > 0 && v.videoHeight > 0) setShownAspect(v.videoWidth / v.videoHeight);
  };

  // Draw the overlay for a frame: outlines, and the live redaction preview when asked.
  const draw = (frame: number) => {
    const c = canvas.current;
    const v = video.current;
    if (!c || !v) return;
    const p = latest.current;
    const ctx = c.getContext('2d')!;
    // Zoomed in, the overlay is drawn at a finer resolution so outlines stay sharp; it still counts in stored pixels.
    const k = Math.max(1, Math.min(Math.round(p.zoom?.zoom ?? 1), Math.floor(8192 / Math.max(width, height))));
    if (c.width !== width * k || c.height !== height * k) {
      c.width = width * k;
      c.height = height * k;
    }
    ctx.setTransform(k, 0, 0, k, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const d = dragRef.current;
    // Source px per screen px: lines and the handle keep their on-screen size at any zoom.
    const px = width / Math.max(1, c.getBoundingClientRect().width);
    const frameBox = { x: 0, y: 0, w: width, h: height };
    let shown = 0;
    for (const t of p.tracks) {
      const box = d && d.trackId === t.id ? d.current : boxAtFrame(t, frame);
      if (!box) continue;
      if (p.preview && t.decision !== 'keep') previewRegion(ctx, v, box, t.style ?? p.defaultStyle, t.shape, { width, height });
      if (!shownOnVideo(t, p)) continue;
      // Drawn as far as the frame goes: a box over the edge shows its inside edge at the frame's border.
      const inFrame = t.shape === 'rectangle' ? intersection(box, frameBox) : box;
      if (!inFrame) continue;
      shown++;
      ctx.lineWidth = (t.id === p.selectedId ? 3 : 2) * px;
      ctx.strokeStyle = t.id === p.selectedId ? SELECTED_COLOUR : DECISION_COLOURS[t.decision];
      outline(ctx, inFrame, t.shape);
      if (t.id === p.selectedId) {
        const hs = HANDLE * px;
        const h = handleAt(box, hs);
        ctx.fillStyle = SELECTED_COLOUR;
        ctx.fillRect(h.x - hs / 2, h.y - hs / 2, hs, hs);
      }
    }
    c.dataset.shown = String(shown);
    if (p.provisional?.length) {
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = DECISION_COLOURS.proposed;
      for (const t of p.provisional) {
        // Only up to where detection has got (its last keyframe), not held to the end.
        const box = frame <= (t.keyframes[t.keyframes.length - 1]?.frame ?? -1) ? boxAtFrame(t, frame) : null;
        if (box) outline(ctx, box, t.shape);
      }
      ctx.setLineDash([]);
    }
    // The marked boxes of this frame; the canvas names them (data-marks) so a test can see what is shown.
    const marked = (p.marks ?? []).filter((m) => m.frame === frame);
    if (marked.length) {
      ctx.setLineDash([8, 4]);
      ctx.lineWidth = 3;
      ctx.strokeStyle = LEAK_COLOUR;
      for (const m of marked) ctx.strokeRect(m.box.x, m.box.y, m.box.w, m.box.h);
      ctx.setLineDash([]);
    }
    c.dataset.marks = marked.map((m) => `${Math.round(m.box.x)},${Math.round(m.box.y)},${Math.round(m.box.w)},${Math.round(m.box.h)}`).join(' ');
    if (d?.kind === 'draw') {
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = SELECTED_COLOUR;
      ctx.strokeRect(d.current.x, d.current.y, d.current.w, d.current.h);
      ctx.setLineDash([]);
    }
  };

  // Follow decoded frames while playing; with the preview on, the sound follows them too.
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const sound = new AudioPreview(v);
    audio.current = sound;
    let handle = 0;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const p = latest.current;
      const seconds = meta.mediaTime - p.startSeconds;
      sound.set(p.preview && !v.paused ? soundAt(p.audioRanges ?? [], seconds) : 'as-recorded');
      const f = frameAtTime(p.facts.frameTimes, seconds);
      const from = shownFrame.current;
      const presentedAll = from >= 0 && f > from && meta.presentedFrames - shownPresented.current >= f - from;
      shownFrame.current = f;
      shownPresented.current = meta.presentedFrames;
      draw(f);
      if (!v.paused && f !== latest.current.frame) latest.current.onFrame(f, from >= 0 ? { from, presentedAll } : undefined);
      handle = v.requestVideoFrameCallback(onFrame);
    };
    handle = v.requestVideoFrameCallback(onFrame);
    return () => {
      v.cancelVideoFrameCallback(handle);
      sound.dispose();
    };
  }, [props.url]);

  // Paused: seek to the frame asked for.
  useEffect(() => {
    const v = video.current;
    if (!v || props.playing) return;
    const at = props.startSeconds + seekTimeForFrame(props.facts.frameTimes, props.frame);
    if (shownFrame.current !== props.frame || Math.abs(v.currentTime - at) > 0.5 / 1000) v.currentTime = at;
    draw(props.frame);
  });

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.playbackRate = props.rate;
    if (props.playing && v.paused) void v.play().catch(() => props.onEnded());
    if (!props.playing && !v.paused) v.pause();
  }, [props.playing, props.rate]);
  // Paused, or the preview turned off: the sound as recorded, and no tone left sounding.
  useEffect(() => {
    if (!props.playing || !props.preview) audio.current?.set('as-recorded');
  }, [props.playing, props.preview]);

  const toSource = (e: React.PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * width, y: ((e.clientY - r.top) / r.height) * height };
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const p = toSource(e);
    (e.target as Element).setPointerCapture(e.pointerId);
    if (props.drawing) {
      const b = { x: p.x, y: p.y, w: 0, h: 0 };
      setDrag({ kind: 'draw', trackId: null, start: p, origin: b, current: b });
      return;
    }
    const scale = width / canvas.current!.getBoundingClientRect().width;
    // The selected track's resize handle first, then the topmost box under the pointer.
    const sel = props.tracks.find((t) => t.id === props.selectedId);
    const selBox = sel && boxAtFrame(sel, props.frame);
    const grip = selBox && handleAt(selBox, HANDLE * scale);
    if (sel && selBox && grip && Math.abs(p.x - grip.x) <= (HANDLE * scale) / 2 + scale && Math.abs(p.y - grip.y) <= (HANDLE * scale) / 2 + scale) {
      setDrag({ kind: 'resize', trackId: sel.id, start: p, origin: selBox, current: selBox });
      return;
    }
    const hit = [...props.tracks].reverse().find((t) => {
      const b = shownOnVideo(t, props) && boxAtFrame(t, props.frame);
      return b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h;
    });
    props.onSelect(hit?.id ?? null);
    const b = hit && boxAtFrame(hit, props.frame);
    if (hit && b) setDrag({ kind: 'move', trackId: hit.id, start: p, origin: b, current: b });
    // Off the boxes on a zoomed picture: a drag pans.
    else if ((props.zoom?.zoom ?? 1) > 1) pan.current = { x: e.clientX, y: e.clientY, zoom: props.zoom! };
  };

  const pan = useRef<{ x: number; y: number; zoom: VideoZoom } | null>(null);
  const onWheel = (e: React.WheelEvent) => {
    if (!props.onZoom) return;
    const r = (e.currentTarget as Element).getBoundingClientRect();
    props.onZoom(zoomAt(props.zoom ?? NO_ZOOM, e.deltaY < 0 ? 1.25 : 0.8, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height));
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const panning = pan.current;
    if (panning && props.onZoom) {
      const r = (e.currentTarget as Element).parentElement!.parentElement!.getBoundingClientRect();
      props.onZoom(panBy(panning.zoom, (e.clientX - panning.x) / r.width, (e.clientY - panning.y) / r.height));
      return;
    }
    if (!drag) return;
    const p = toSource(e);
    const dx = p.x - drag.start.x;
    const dy = p.y - drag.start.y;
    const o = drag.origin;
    let current: Box;
    if (drag.kind === 'move') current = { ...o, x: o.x + dx, y: o.y + dy };
    else if (drag.kind === 'resize') current = { ...o, w: Math.max(4, o.w + dx), h: Math.max(4, o.h + dy) };
    else current = { x: Math.min(drag.start.x, p.x), y: Math.min(drag.start.y, p.y), w: Math.abs(dx), h: Math.abs(dy) };
    setDrag({ ...drag, current: clampBox(current, width, height) });
    draw(props.frame);
  };

  const onPointerUp = () => {
    pan.current = null;
    const d = drag;
    setDrag(null);
    if (!d) return;
    const moved = d.current.x !== d.origin.x || d.current.y !== d.origin.y || d.current.w !== d.origin.w || d.current.h !== d.origin.h;
    if (d.kind === 'draw') {
      if (d.current.w >= 4 && d.current.h >= 4) props.onDraw(roundBox(d.current));
    } else if (moved && d.trackId) {
      props.onBoxChange(d.trackId, roundBox(d.current));
    }
  };

  return (
    <div className="player" style={{ aspectRatio: shownAspect ? String(shownAspect) : `${width} / ${height}` }} onWheel={onWheel} data-zoom={(props.zoom ?? NO_ZOOM).zoom.toFixed(2)}>
      <div className="zoomed" style={{ transform: zoomTransform(props.zoom ?? NO_ZOOM) }}>
      <video ref={video} src={props.url} preload="auto" muted={false} onEnded={props.onEnded} onError={() => props.onUnplayable?.()} onLoadedMetadata={onShape} onResize={onShape} playsInline data-testid="video" />
      <canvas
        ref={canvas}
        className={props.drawing ? 'overlay drawing' : 'overlay'}
        data-testid="overlay"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      />
      </div>
    </div>
  );
}

function outline(ctx: CanvasRenderingContext2D, b: Box, shape: Track['shape']): void {
  ctx.beginPath();
  if (shape === 'ellipse') ctx.ellipse(b.x + b.w / 2, b.y + b.h / 2, b.w / 2, b.h / 2, 0, 0, Math.PI * 2);
  else ctx.rect(b.x, b.y, b.w, b.h);
  ctx.stroke();
}

/**
 * Draws the region as the export would obscure it: fill, pixelate or blur the video's own pixels. The
 * canvas counts stored pixels; the video's own size is its display size, which differs where pixels are
 * not square, so pictures are read from it through `shown`.
 */
function previewRegion(ctx: CanvasRenderingContext2D, v: HTMLVideoElement, b: Box, style: RedactionStyle, shape: Track['shape'], stored: { width: number; height: number }): void {
  const sx = v.videoWidth / stored.width;
  const sy = v.videoHeight / stored.height;
  const shown = (x: number, y: number, w: number, h: number) => [x * sx, y * sy, w * sx, h * sy] as const;
  ctx.save();
  ctx.beginPath();
  if (shape === 'ellipse') ctx.ellipse(b.x + b.w / 2, b.y + b.h / 2, b.w / 2, b.h / 2, 0, 0, Math.PI * 2);
  else ctx.rect(b.x, b.y, b.w, b.h);
  ctx.clip();
  if (style.kind === 'solid') {
    ctx.fillStyle = style.fill;
    ctx.fillRect(b.x, b.y, b.w, b.h);
  } else if (style.kind === 'pixelate') {
    const cells = 8;
    const small = new OffscreenCanvas(cells, Math.max(1, Math.round((cells * b.h) / Math.max(1, b.w))));
    small.getContext('2d')!.drawImage(v, ...shown(b.x, b.y, b.w, b.h), 0, 0, small.width, small.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, b.x, b.y, b.w, b.h);
  } else {
    ctx.filter = `blur(${Math.max(4, Math.round(Math.max(b.w, b.h) / 8))}px)`;
    ctx.drawImage(v, ...shown(b.x - 20, b.y - 20, b.w + 40, b.h + 40), b.x - 20, b.y - 20, b.w + 40, b.h + 40);
  }
  ctx.restore();
}

function clampBox(b: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.min(width - 1, b.x));
  const y = Math.max(0, Math.min(height - 1, b.y));
  return { x, y, w: Math.min(b.w, width - x), h: Math.min(b.h, height - y) };
}

function roundBox(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) };
}
