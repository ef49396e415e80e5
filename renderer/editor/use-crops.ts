import { useEffect, useMemo, useRef, useState } from 'react';
import type { Box } from '../../common/geometry';
import { appearanceOf, type Appearance } from '../model/appearance';
import { seekTimeForFrame } from './frame-clock';

/** A picture of one region at one frame, for a gallery card or a timeline lane. */
export interface CropRequest {
  id: string;
  frame: number;
  box: Box;
}

/** Side of a crop in pixels: enough for a card, small enough to keep hundreds. */
const SIZE = 96;
/** At most one update of the crops shown per this many ms while they are being grabbed. */
const PUBLISH_MS = 250;
/** Crops kept per player source, most recent first out last. */
const LIMIT = 2000;

/** The part of a crop the region's box fills (the crop has a margin of 0.3 of the box each side). */
const INNER = { x: Math.round(SIZE * 0.1875), y: Math.round(SIZE * 0.1875), w: Math.round(SIZE / 1.6), h: Math.round(SIZE / 1.6) };

/** Crops by `cropKey`, kept across editor visits (a clip reopened shows its gallery at once), with what each looks like. */
const cache = new Map<string, { url: string; look: Appearance | null }>();
function remember(key: string, url: string, look: Appearance | null) {
  cache.set(key, { url, look });
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
}

/**
 * Grabbing a crop seeks a hidden video, and the decoding competes with the page for the processor: while
 * the reviewer scrolls (the gallery, the timeline), crops wait until scrolling has paused this long.
 */
const HOLD_MS = 300;
let heldUntil = 0;
export function holdCrops(): void {
  heldUntil = performance.now() + HOLD_MS;
}
/** Crops also wait while something says so (the clip playing), until it says they may go on. */
const pausedBy = new Set<string>();
export function pauseCrops(by: string, paused: boolean): void {
  if (paused) pausedBy.add(by);
  else pausedBy.delete(by);
}
const held = async () => {
  while (pausedBy.size || performance.now() < heldUntil) await new Promise((r) => setTimeout(r, Math.max(50, heldUntil - performance.now() + 5)));
};

export function cropKey(source: string, c: CropRequest): string {
  return `${source}|${c.frame}|${Math.round(c.box.x)},${Math.round(c.box.y)},${Math.round(c.box.w)},${Math.round(c.box.h)}`;
}

/**
 * Crops of regions at given frames, grabbed in the renderer: a hidden video element of its own seeks
 * to each frame and the region (with a margin) is drawn onto a small canvas. The editor's player is
 * never moved. Measured on the e2e clip against one ffmpeg run per frame (`-ss … -frames:v 1`):
 * see README ("People gallery"). Returns the crops so far as data URLs by region id, what each looks
 * like (model/appearance.ts, for look-alike suggestions), and the mean time per crop in ms.
 */
export function useCrops(url: string | null, startSeconds: number, frameTimes: readonly number[], stored: { width: number; height: number }, wanted: readonly CropRequest[]): { crops: ReadonlyMap<string, string>; looks: ReadonlyMap<string, Appearance>; msPerCrop: number | null } {
  const [crops, setCrops] = useState<ReadonlyMap<string, string>>(new Map());
  const looks = useMemo(() => {
    const m = new Map<string, Appearance>();
    if (!url) return m;
    for (const w of wanted) {
      const hit = cache.get(cropKey(url, w));
      if (hit?.look && crops.get(w.id) === hit.url) m.set(w.id, hit.look);
    }
    return m;
  }, [crops, url, wanted]);
  const [msPerCrop, setMs] = useState<number | null>(null);
  const latest = useRef(wanted);
  latest.current = wanted;
  const kick = useRef<(() => void) | null>(null);

  // Whatever is already cached shows at once; the rest is grabbed in turn.
  const signature = wanted.map((w) => `${w.id}@${url ? cropKey(url, w) : ''}`).join(';');
  useEffect(() => {
    if (!url) return;
    const next = new Map<string, string>();
    for (const w of wanted) {
      const hit = cache.get(cropKey(url, w));
      if (hit) next.set(w.id, hit.url);
    }
    setCrops(next);
    kick.current?.();
  }, [signature, url]);

  useEffect(() => {
    if (!url) return;
    let live = true;
    let busy = false;
    let spent = 0;
    let made = 0;
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    video.src = url;
    const canvas = document.createElement('canvas');
    canvas.width = SIZE;
    canvas.height = SIZE;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const seek = (t: number) =>
      new Promise<void>((resolve, reject) => {
        const done = () => (video.removeEventListener('seeked', done), video.removeEventListener('error', fail), resolve());
        const fail = () => (video.removeEventListener('seeked', done), video.removeEventListener('error', fail), reject(new Error('crop: the video would not seek')));
        video.addEventListener('seeked', done);
        video.addEventListener('error', fail);
        video.currentTime = t;
      });
    const ready = new Promise<void>((resolve, reject) => {
      if (video.readyState >= 1) return resolve();
      video.addEventListener('loadedmetadata', () => resolve(), { once: true });
      video.addEventListener('error', () => reject(new Error('crop: the video would not load')), { once: true });
    });

    // New crops reach the page in batches: each update re-renders the editor, so one per crop (every
    // ~30 ms) while hundreds load cost frames (BENCHMARKS.md, "Timeline and gallery smoothness").
    let published = performance.now();
    const publish = () => {
      published = performance.now();
      if (!made) return;
      setMs(Math.round((spent / made) * 10) / 10);
      setCrops((old) => {
        let next: Map<string, string> | null = null;
        for (const w of latest.current) {
          const hit = cache.get(cropKey(url, w));
          if (hit && old.get(w.id) !== hit.url) (next ??= new Map(old)).set(w.id, hit.url);
        }
        return next ?? old;
      });
    };
    const work = async () => {
      if (busy) return;
      busy = true;
      try {
        await ready;
        // Take requests one at a time, in the order asked (the gallery's), frame by frame.
        for (;;) {
          if (!live) return;
          const todo = latest.current.filter((w) => !cache.has(cropKey(url, w)));
          if (!todo.length) return publish();
          await held();
          if (!live) return;
          const byFrame = todo.filter((w) => w.frame === todo[0]!.frame);
          const started = performance.now();
          await seek(startSeconds + seekTimeForFrame(frameTimes, todo[0]!.frame));
          if (!live) return;
          const sx = video.videoWidth / stored.width;
          const sy = video.videoHeight / stored.height;
          for (const w of byFrame) {
            // A square around the region with a third of its size as margin, so the face is seen in context.
            const side = Math.max(w.box.w, w.box.h) * 1.6;
            const cx = w.box.x + w.box.w / 2;
            const cy = w.box.y + w.box.h / 2;
            ctx.fillStyle = '#000';
            ctx.fillRect(0, 0, SIZE, SIZE);
            ctx.drawImage(video, (cx - side / 2) * sx, (cy - side / 2) * sy, side * sx, side * sy, 0, 0, SIZE, SIZE);
            let look: Appearance | null = null;
            try {
              look = appearanceOf(ctx.getImageData(0, 0, SIZE, SIZE).data, SIZE, SIZE, INNER);
            } catch {
              // Pixels not readable here: the crop is shown, with no look-alike suggestions.
            }
            remember(cropKey(url, w), canvas.toDataURL('image/jpeg', 0.8), look);
          }
          spent += performance.now() - started;
          made += byFrame.length;
          if (performance.now() - published >= PUBLISH_MS) publish();
        }
      } catch {
        // No crops (the source would not load here): the cards show their numbers without pictures.
      } finally {
        busy = false;
      }
    };
    kick.current = () => void work();
    void work();
    return () => {
      live = false;
      kick.current = null;
      video.removeAttribute('src');
      video.load();
    };
  }, [url, startSeconds]);

  return { crops, looks, msPerCrop };
}
