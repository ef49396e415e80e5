// Scores tracks against make-clip.mjs's truth without rendering a clip: the measures of
// ../shared/bench/score.mjs (a face-frame is exposed when less than 80% of its box is covered;
// over-redaction is the share of the frame covered outside every true face grown by half its size),
// with boxes rounded outwards to whole pixels as export draws them, plus the detection issue's two
// track counts:
// - tracks per true face: tracks whose most-covered true face is some face, over the faces that are
//   some track's most-covered face (how many tracks one face is split into);
// - false tracks: tracks that cover no true face (≥ 50% of it) in at least 80% of their frames.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './bench-clips.mjs';

const require = createRequire(import.meta.url);
const { boxAtFrame } = require(join(ROOT, 'dist', 'common', 'track.js'));

const COVERED = 0.8;

export function scoreTracks(tracks, truth) {
  const { width: W, height: H, frames } = truth;
  const byFrame = new Map();
  for (const face of truth.faces) for (const [f, box] of Object.entries(face.boxes)) (byFrame.get(Number(f)) ?? byFrame.set(Number(f), []).get(Number(f))).push({ face, box });
  const mask = new Uint8Array(W * H);
  const grown = new Uint8Array(W * H);
  let partial24 = 0, ff24 = 0, exp24 = 0, ff16 = 0, exp16 = 0, exposed96 = 0, over = 0;
  const trackFrames = new Map(); // track id → { frames, onFace }
  const facesTracked = new Map(); // track id → Map(face id → frames covered)
  for (let f = 0; f < frames; f++) {
    mask.fill(0);
    grown.fill(0);
    const boxes = [];
    for (const t of tracks) {
      const b = boxAtFrame(t, f);
      if (!b) continue;
      const x0 = Math.max(0, Math.floor(b.x)), y0 = Math.max(0, Math.floor(b.y));
      const x1 = Math.min(W, Math.ceil(b.x + b.w)), y1 = Math.min(H, Math.ceil(b.y + b.h));
      if (x1 <= x0 || y1 <= y0) continue;
      for (let y = y0; y < y1; y++) mask.fill(1, y * W + x0, y * W + x1);
      boxes.push({ t, x0, y0, x1, y1 });
    }
    const entries = byFrame.get(f) ?? [];
    for (const { face, box: [x, y, w, h] } of entries) {
      const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y));
      const x1 = Math.min(W, Math.round(x + w)), y1 = Math.min(H, Math.round(y + h));
      let filled = 0, total = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) { total++; filled += mask[yy * W + xx]; }
      const gx0 = Math.max(0, Math.floor(x - w / 2)), gy0 = Math.max(0, Math.floor(y - h / 2));
      const gx1 = Math.min(W, Math.ceil(x + 1.5 * w)), gy1 = Math.min(H, Math.ceil(y + 1.5 * h));
      for (let yy = gy0; yy < gy1; yy++) grown.fill(1, yy * W + gx0, yy * W + gx1);
      if (!total) continue;
      const exposed = filled / total < COVERED;
      if (h >= 24) { ff24++; if (exposed) { exp24++; if (filled > 0) partial24++; } }
      else if (h >= 16) { ff16++; if (exposed) exp16++; }
      if (h >= 96 && exposed) exposed96++;
      // Which tracks cover this face (≥ 50% of it by their own box).
      for (const b of boxes) {
        const ix = Math.max(0, Math.min(x1, b.x1) - Math.max(x0, b.x0)), iy = Math.max(0, Math.min(y1, b.y1) - Math.max(y0, b.y0));
        if (ix * iy >= 0.5 * total) {
          b.onFace = true;
          const counts = facesTracked.get(b.t.id) ?? facesTracked.set(b.t.id, new Map()).get(b.t.id);
          counts.set(face.id, (counts.get(face.id) ?? 0) + 1);
        }
      }
    }
    for (const b of boxes) {
      const s = trackFrames.get(b.t.id) ?? trackFrames.set(b.t.id, { frames: 0, onFace: 0 }).get(b.t.id);
      s.frames++;
      if (b.onFace) s.onFace++;
    }
    let o = 0;
    for (let p = 0; p < W * H; p++) if (mask[p] && !grown[p]) o++;
    over += o / (W * H);
  }
  const falseTracks = [...trackFrames.values()].filter((s) => s.onFace < 0.2 * s.frames).length;
  // Each track's face is the true face it covers in the most frames.
  const faceOf = new Map();
  for (const [id, counts] of facesTracked) faceOf.set(id, [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0]);
  const trueTracks = faceOf.size;
  const facesWithTracks = new Set(faceOf.values()).size;
  return {
    recall24: ff24 ? 1 - exp24 / ff24 : 1,
    recall16to24: ff16 ? 1 - exp16 / ff16 : 1,
    exposed96,
    partial24,
    exposed24: exp24,
    overRedaction: over / frames,
    tracks: tracks.length,
    tracksPerFace: trueTracks / Math.max(1, facesWithTracks),
    falseTracks,
    falseTrackShare: falseTracks / Math.max(1, tracks.length),
  };
}
