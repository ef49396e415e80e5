// Scores tracks against make-clip.mjs's truth without rendering a clip: the measures of
// ../shared/bench/score.mjs (a face-frame is exposed when less than 80% of its box is covered;
// over-redaction is the share of the frame covered outside every true face grown by half its size),
// with boxes rounded outwards to whole pixels as export draws them, plus the detection issue's two
// track counts:
// - tracks per true face: tracks that cover some true face, over true faces seen ≥ 24 px;
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
  let ff24 = 0, exp24 = 0, ff16 = 0, exp16 = 0, exposed96 = 0, over = 0;
  const trackFrames = new Map(); // track id → { frames, onFace }
  const facesSeen24 = new Set();
  const facesTracked = new Map(); // track id → set of face ids it covered
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
      if (h >= 24) { ff24++; if (exposed) exp24++; facesSeen24.add(face.id); }
      else if (h >= 16) { ff16++; if (exposed) exp16++; }
      if (h >= 96 && exposed) exposed96++;
      // Which tracks cover this face (≥ 50% of it by their own box).
      for (const b of boxes) {
        const ix = Math.max(0, Math.min(x1, b.x1) - Math.max(x0, b.x0)), iy = Math.max(0, Math.min(y1, b.y1) - Math.max(y0, b.y0));
        if (ix * iy >= 0.5 * total) {
          b.onFace = true;
          (facesTracked.get(b.t.id) ?? facesTracked.set(b.t.id, new Set()).get(b.t.id)).add(face.id);
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
  const trueTracks = [...facesTracked.keys()].length;
  return {
    recall24: ff24 ? 1 - exp24 / ff24 : 1,
    recall16to24: ff16 ? 1 - exp16 / ff16 : 1,
    exposed96,
    overRedaction: over / frames,
    tracks: tracks.length,
    tracksPerFace: trueTracks / Math.max(1, facesSeen24.size),
    falseTracks,
    falseTrackShare: falseTracks / Math.max(1, tracks.length),
  };
}
