import { describe, expect, it } from 'vitest';
import { type Box, padBox } from '../../common/geometry';
import { trackSchema } from '../../common/plan';
import { boxAtFrame, type Track } from '../../common/track';
import { type Detection, FaceTracker, type GrayImage, type TrackerSettings } from '../../engine/detect/tracker';
import { seededRandom } from '../helpers/random';

const DETECTOR = 'test-detector@1';


/** Random grey texture made of `block`×`block` cells, so it also has texture at coarse pyramid levels. */
function texture(width: number, height: number, seed: number, block = 2): Uint8Array {
  const rnd = seededRandom(seed);
  const cells = Array.from({ length: Math.ceil(height / block) * Math.ceil(width / block) }, () => Math.floor(rnd() * 256));
  const out = new Uint8Array(width * height);
  const cw = Math.ceil(width / block);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = cells[Math.floor(y / block) * cw + Math.floor(x / block)]!;
  return out;
}

/** The background with a patch pasted at (px, py), image px, plus sensor noise of ±noise grey levels. */
function compose(bg: Uint8Array, width: number, height: number, patch: Uint8Array, pw: number, ph: number, px: number, py: number, scale: number, noise = 0, seed = 0): GrayImage {
  const data = bg.slice();
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const tx = px + x;
      const ty = py + y;
      if (tx >= 0 && ty >= 0 && tx < width && ty < height) data[ty * width + tx] = patch[y * pw + x]!;
    }
  }
  const rnd = seededRandom(seed);
  for (let i = 0; i < data.length && noise > 0; i++) data[i] = Math.max(0, Math.min(255, data[i]! + Math.round((rnd() * 2 - 1) * noise)));
  return { width, height, data, scale };
}

function contains(outer: Box | null, inner: Box): boolean {
  if (!outer) return false;
  const eps = 1e-6;
  return outer.x <= inner.x + eps && outer.y <= inner.y + eps && outer.x + outer.w >= inner.x + inner.w - eps && outer.y + outer.h >= inner.y + inner.h - eps;
}

function clipToFrame(b: Box, width: number, height: number): Box {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  return { x: x0, y: y0, w: Math.min(width, b.x + b.w) - x0, h: Math.min(height, b.y + b.h) - y0 };
}

function det(b: Box, score = 0.9): Detection {
  return { ...b, score };
}

function tracker(extra: Partial<TrackerSettings> = {}): FaceTracker {
  return new FaceTracker({ detector: DETECTOR, ...extra });
}

// Two faces crossing: A goes right in front, B goes left behind it at nearly the same height; the
// detector loses B while A hides it (frames 16–24), so only motion prediction can tell who is who.
const faceA = (f: number): Box => ({ x: 100 + 10 * f, y: 200, w: 60, h: 60 });
const faceB = (f: number): Box => ({ x: 500 - 10 * f, y: 204, w: 60, h: 60 });
const occluded = (f: number) => f >= 16 && f <= 24;

function runCrossing(reverseDetections = false): Track[] {
  const t = tracker();
  for (let f = 0; f <= 40; f++) {
    const dets = occluded(f) ? [det(faceA(f))] : [det(faceA(f)), det(faceB(f), 0.85)];
    t.push(f, reverseDetections ? dets.reverse() : dets);
  }
  return t.finish(40);
}

// A 24×24 textured patch (image px, scale 2 → 48×48 source px) on a wobbly path over a random background.
const IMG_W = 160;
const IMG_H = 120;
const SCALE = 2;
const PATCH = 24;
const background = texture(IMG_W, IMG_H, 11);
const patch = texture(PATCH, PATCH, 23);
const patchAt = (f: number) => ({ x: Math.round(20 + 1.5 * f + 10 * Math.sin(f / 4)), y: Math.round(45 + 25 * Math.sin(f / 8)) });
const patchBox = (f: number): Box => {
  const p = patchAt(f);
  return { x: p.x * SCALE, y: p.y * SCALE, w: PATCH * SCALE, h: PATCH * SCALE };
};

/** Detected on frames 0–19 and 40–59; the 20-frame gap has images only. */
function runGap(withImages: boolean, settings: Partial<TrackerSettings> = {}): Track[] {
  const t = tracker(settings);
  for (let f = 0; f < 60; f++) {
    const p = patchAt(f);
    // Night-like sensor noise, different in every frame.
    const image = withImages ? compose(background, IMG_W, IMG_H, patch, PATCH, PATCH, p.x, p.y, SCALE, 40, 1000 + f) : undefined;
    t.push(f, f < 20 || f >= 40 ? [det(patchBox(f))] : [], image);
  }
  return t.finish(59);
}

describe('FaceTracker', () => {
  it('keeps the identities of two faces on crossing paths', () => {
    const tracks = runCrossing();
    expect(tracks).toHaveLength(2);
    const a = tracks.find((t) => contains(boxAtFrame(t, 0), faceA(0)))!;
    const b = tracks.find((t) => t !== a)!;
    expect(a).toBeDefined();
    for (let f = 0; f <= 40; f++) {
      const ba = boxAtFrame(a, f)!;
      const bb = boxAtFrame(b, f)!;
      // Padded: the detector's box is tight, the head around it is not.
      expect(contains(ba, padBox(faceA(f), 0.15)), `A at frame ${f}`).toBe(true);
      expect(contains(bb, occluded(f) ? faceB(f) : padBox(faceB(f), 0.15)), `B at frame ${f}`).toBe(true);
      if (occluded(f)) continue;
      // Identity: each track's centre stays on its own face.
      const ca = { x: ba.x + ba.w / 2, y: ba.y + ba.h / 2 };
      expect(Math.hypot(ca.x - (faceA(f).x + 30), ca.y - (faceA(f).y + 30)), `A at frame ${f}`).toBeLessThan(5);
      const cb = { x: bb.x + bb.w / 2, y: bb.y + bb.h / 2 };
      expect(Math.hypot(cb.x - (faceB(f).x + 30), cb.y - (faceB(f).y + 30)), `B at frame ${f}`).toBeLessThan(5);
    }
  });

  it('emits plan-valid tracks with the agreed fields', () => {
    const tracks = runCrossing();
    for (const t of tracks) expect(() => trackSchema.parse(t)).not.toThrow();
    expect(tracks.map((t) => t.id)).toEqual(['face-0001', 'face-0002']);
    expect(tracks[0]).toMatchObject({ label: 'face', shape: 'rectangle', reason: 'third-party-face', decision: 'proposed', provenance: { origin: 'detected', detector: DETECTOR } });
    // A moves linearly over the whole clip: two keyframes. B's occlusion costs it a few.
    expect(tracks[0]!.keyframes).toHaveLength(2);
    expect(tracks[1]!.keyframes.length).toBeLessThanOrEqual(8);
  });

  for (const mode of ['every frame pushed, detected on every 5th', 'only every 5th frame analysed'] as const) {
    it(`covers a face detected on every 5th frame on every frame in between (${mode})`, () => {
      const truth = (f: number): Box => ({ x: 50 + 6 * f, y: 200 + 40 * Math.sin((2 * Math.PI * f) / 60), w: 60 + 0.5 * f, h: 60 + 0.5 * f });
      const t = tracker();
      for (let f = 0; f <= 100; f++) {
        if (f % 5 === 0) t.push(f, [det(truth(f))]);
        else if (mode === 'every frame pushed, detected on every 5th') t.push(f, []);
      }
      const tracks = t.finish(100);
      expect(tracks).toHaveLength(1);
      for (let f = 0; f <= 100; f++) {
        const b = boxAtFrame(tracks[0]!, f);
        expect(contains(b, truth(f)), `frame ${f}`).toBe(true);
        // Not by covering everything: padding (about 2.2× the area) and uncertainty keep the box
        // within 2.75× the face's area.
        expect(b!.w * b!.h).toBeLessThan(2.75 * truth(f).w * truth(f).h);
      }
    });
  }

  it('predicts motion: a fast face missed for 6 frames (motion blur) stays one track and is covered', () => {
    const truth = (f: number): Box => ({ x: 40 + 20 * f, y: 150, w: 60, h: 60 });
    const t = tracker();
    for (let f = 0; f <= 40; f++) t.push(f, f >= 15 && f <= 20 ? [] : [det(truth(f))]);
    const tracks = t.finish(40);
    expect(tracks).toHaveLength(1);
    for (let f = 0; f <= 40; f++) expect(contains(boxAtFrame(tracks[0]!, f), truth(f)), `frame ${f}`).toBe(true);
  });

  it('bridges a 20-frame detection gap on a moving textured patch by template matching', () => {
    const tracks = runGap(true);
    expect(tracks).toHaveLength(1);
    for (let f = 0; f < 60; f++) {
      const b = boxAtFrame(tracks[0]!, f);
      expect(contains(b, patchBox(f)), `frame ${f}`).toBe(true);
      expect(b!.w * b!.h).toBeLessThan(3 * patchBox(f).w * patchBox(f).h);
    }
    // Control: without images, interpolation across the gap cannot follow the wobbly path.
    const blind = runGap(false);
    const uncovered = Array.from({ length: 60 }, (_, f) => f).filter((f) => !blind.some((t) => contains(boxAtFrame(t, f), patchBox(f))));
    expect(uncovered.length).toBeGreaterThan(0);
  });

  it('does not let a shrinking prediction shrink a followed face frame after frame', () => {
    // Detections on frames 0–19 shrink (the detector boxes less and less of a face leaving at an
    // edge, say); then only content is followed, while the face keeps its size in the picture.
    const t = tracker({ maxGapFrames: 60, maxFollowFrames: 60 });
    const shrunk = (f: number): Box => {
      const b = patchBox(f);
      const k = 1 - 0.015 * f;
      return { x: b.x + (b.w * (1 - k)) / 2, y: b.y + (b.h * (1 - k)) / 2, w: b.w * k, h: b.h * k };
    };
    for (let f = 0; f < 50; f++) {
      const p = patchAt(f);
      t.push(f, f < 20 ? [det(shrunk(f))] : [], compose(background, IMG_W, IMG_H, patch, PATCH, PATCH, p.x, p.y, SCALE));
    }
    const [track] = t.finish(49);
    const lastDetected = boxAtFrame(track!, 19)!;
    for (let f = 20; f < 50; f++) {
      const b = boxAtFrame(track!, f);
      expect(b, `frame ${f}`).not.toBeNull();
      expect(b!.w, `frame ${f}`).toBeGreaterThanOrEqual(0.8 * lastDetected.w);
    }
  });

  it('follows a track backwards from its first detection through earlier images', () => {
    // Detected only from frame 30: frames 0–29 must come from following the content backwards.
    const t = tracker({ extendBeforeFrames: 0 });
    for (let f = 0; f < 60; f++) {
      const p = patchAt(f);
      t.push(f, f >= 30 ? [det(patchBox(f))] : [], compose(background, IMG_W, IMG_H, patch, PATCH, PATCH, p.x, p.y, SCALE));
    }
    const tracks = t.finish(59);
    expect(tracks).toHaveLength(1);
    for (let f = 0; f < 60; f++) expect(contains(boxAtFrame(tracks[0]!, f), patchBox(f)), `frame ${f}`).toBe(true);
  });

  it('covers a face leaving the frame until it is gone, then ends it with an outside keyframe', () => {
    const W = 640;
    const H = 360;
    const truth = (f: number): Box => ({ x: 300 + 8 * f, y: 150, w: 60, h: 60 });
    const t = tracker({ frameWidth: W, frameHeight: H });
    let lastDetected = -1;
    for (let f = 0; f <= 80; f++) {
      const inside = truth(f).x + truth(f).w <= W;
      if (inside) lastDetected = f;
      t.push(f, inside ? [det(truth(f))] : []);
    }
    const [track, ...rest] = t.finish(80);
    expect(rest).toHaveLength(0);
    const last = track!.keyframes[track!.keyframes.length - 1]!;
    expect(lastDetected).toBe(35);
    expect(last.outside).toBe(true);
    // At the edge the extension is three times the usual 10 frames, counted from the last frame the
    // tracker held the face (it coasts a few frames past the last detection), so it outlasts the detector.
    expect(last.frame).toBeGreaterThan(lastDetected + 10 + 1);
    expect(last.frame).toBeLessThanOrEqual(lastDetected + 10 + 3 * 10 + 1);
    // The part still in the frame is covered while it leaves.
    for (let f = lastDetected; truth(f).x < W; f++) {
      expect(contains(boxAtFrame(track!, f), clipToFrame(truth(f), W, H)), `frame ${f}`).toBe(true);
    }
  });

  it('does not extend or coast a track across a hard cut', () => {
    const otherShot = texture(IMG_W, IMG_H, 99);
    const run = (cutAt: number | null) => {
      const t = tracker();
      for (let f = 0; f < 60; f++) {
        const p = patchAt(f);
        const afterCut = cutAt !== null && f >= cutAt;
        const image = afterCut ? { width: IMG_W, height: IMG_H, data: otherShot, scale: SCALE } : compose(background, IMG_W, IMG_H, patch, PATCH, PATCH, p.x, p.y, SCALE);
        t.push(f, f < 30 ? [det(patchBox(f))] : [], image);
      }
      return t.finish(59);
    };
    // Same shot: the face is followed or extended past its last detection.
    const [same] = run(null);
    expect(boxAtFrame(same!, 30)).not.toBeNull();
    // A cut at frame 30 to another scene without the face: nothing of the track reaches into it.
    const [cut] = run(30);
    expect(boxAtFrame(cut!, 29)).not.toBeNull();
    for (let f = 30; f < 60; f++) expect(boxAtFrame(cut!, f), `frame ${f}`).toBeNull();
  });

  it('starts a shot at the first frame of a cut smeared over several frames, and ends what began on the smear', () => {
    // Frames 0–29 one scene, 30 and 31 two different smeared frames (motion blur over a cut), 32 on the new
    // shot, where a face is detected from frame 32; a false detection sits on the smeared frame 30.
    const before = texture(IMG_W, IMG_H, 7);
    const after = texture(IMG_W, IMG_H, 99);
    // Each smeared frame unlike the one before it, as a cut blurred over moving content looks.
    const smear = [texture(IMG_W, IMG_H, 55), texture(IMG_W, IMG_H, 77)];
    const t = tracker();
    const ghost = { x: 400, y: 40, w: 150, h: 150 };
    for (let f = 0; f < 60; f++) {
      const data = f < 30 ? before : f === 30 ? smear[0]! : f === 31 ? smear[1]! : after;
      const dets = f >= 32 ? [det(patchBox(f), 0.9)] : f === 30 ? [det(ghost, 0.9)] : [];
      t.push(f, dets, { width: IMG_W, height: IMG_H, data, scale: SCALE });
    }
    const tracks = t.finish(59);
    const face = tracks.find((tr) => boxAtFrame(tr, 40) !== null && contains(boxAtFrame(tr, 40), patchBox(40)))!;
    // Extended back over the whole transition, not just to its last change.
    expect(boxAtFrame(face, 30)).not.toBeNull();
    expect(boxAtFrame(face, 29)).toBeNull();
    // The detection on the smeared frame does not live on into the new shot.
    const ghostTrack = tracks.find((tr) => tr !== face && boxAtFrame(tr, 30) !== null);
    if (ghostTrack) for (let f = 31; f < 60; f++) expect(boxAtFrame(ghostTrack, f), `frame ${f}`).toBeNull();
  });

  it('keeps the size of a face cut by the frame edge, where the detector sees only part of it', () => {
    const W = 640;
    const H = 360;
    const truth = (f: number): Box => ({ x: 200 - 8 * f, y: 150, w: 80, h: 80 });
    const t = tracker({ frameWidth: W, frameHeight: H });
    for (let f = 0; f <= 40; f++) {
      const visible = clipToFrame(truth(f), W, H);
      if (visible.w < 20) break;
      // The detector boxes the visible part only, as a smaller square inside it.
      const side = Math.min(visible.w, visible.h);
      t.push(f, [det({ x: visible.x, y: visible.y + (visible.h - side) / 2, w: side, h: side })]);
    }
    const [track] = t.finish(40);
    for (let f = 0; clipToFrame(truth(f), W, H).w >= 20; f++) {
      expect(contains(boxAtFrame(track!, f), clipToFrame(truth(f), W, H)), `frame ${f}`).toBe(true);
    }
  });

  it('drops an isolated low-score detection but tracks a high-score one or a repeated low-score one', () => {
    const box = { x: 200, y: 100, w: 50, h: 50 };
    const run = (detectedAt: Record<number, number>) => {
      const t = tracker();
      for (let f = 0; f <= 30; f++) t.push(f, detectedAt[f] !== undefined ? [det(box, detectedAt[f])] : []);
      return t.finish(30);
    };
    expect(run({ 10: 0.3 })).toHaveLength(0);
    // A lone detection is a track only when its score is high: 0.8 is not, 0.9 is.
    expect(run({ 10: 0.8 })).toHaveLength(0);
    const high = run({ 10: 0.9 });
    expect(high).toHaveLength(1);
    expect(high[0]!.keyframes[0]!.frame).toBe(0);
    expect(high[0]!.keyframes.at(-1)).toMatchObject({ frame: 21, outside: true });
    expect(boxAtFrame(high[0]!, 20)).not.toBeNull();
    expect(run({ 10: 0.3, 13: 0.35 })).toHaveLength(1);
  });

  it('holds a track by content for a short time after its last detection, not for seconds', () => {
    // Detected on frames 0–9; the patch stays in the picture (a poster, a face turned away) and could
    // be followed to the end, but a track is drawn only maxFollowFrames past its last detection, plus
    // its extension.
    const t = tracker({ maxFollowFrames: 15, extendAfterFrames: 10 });
    for (let f = 0; f < 60; f++) {
      const p = patchAt(f);
      t.push(f, f < 10 ? [det(patchBox(f))] : [], compose(background, IMG_W, IMG_H, patch, PATCH, PATCH, p.x, p.y, SCALE));
    }
    const tracks = t.finish(59);
    expect(tracks).toHaveLength(1);
    const last = Math.max(...tracks[0]!.keyframes.filter((k) => !k.outside).map((k) => k.frame));
    expect(last).toBeGreaterThanOrEqual(9 + 15);
    expect(last).toBeLessThanOrEqual(9 + 15 + 10);
    for (let f = last + 1; f < 60; f++) expect(boxAtFrame(tracks[0]!, f), `frame ${f}`).toBeNull();
  });

  it('gives the same output for the same input, whatever the detection order', () => {
    expect(runCrossing()).toStrictEqual(runCrossing());
    expect(runCrossing(true)).toStrictEqual(runCrossing());
    expect(runGap(true)).toStrictEqual(runGap(true));
  });

  it('rejects frames out of order and pushes after finish', () => {
    const t = tracker();
    t.push(5, []);
    expect(() => t.push(5, [])).toThrow(RangeError);
    t.finish(10);
    expect(() => t.push(11, [])).toThrow();
  });
});

describe('FaceTracker.snapshot (provisional proposals)', () => {
  // Crossing faces with images, so content following and backtracking are exercised too.
  const W = 640;
  const H = 360;
  const bg = texture(W, H, 7);
  const patchA = texture(60, 60, 11);
  const patchB = texture(60, 60, 13);
  const frameImage = (f: number): GrayImage => {
    const a = faceA(f);
    const b = faceB(f);
    const withB = compose(bg, W, H, patchB, 60, 60, Math.round(b.x), Math.round(b.y), 1);
    return compose(withB.data, W, H, patchA, 60, 60, Math.round(a.x), Math.round(a.y), 1);
  };
  const feed = (t: FaceTracker, f: number) => t.push(f, [det(faceA(f)), ...(occluded(f) ? [] : [det(faceB(f))])], frameImage(f));

  it('shows the confirmed tracks so far, and taking snapshots does not change the final tracks', () => {
    const plain = tracker({ frameWidth: W, frameHeight: H });
    const watched = tracker({ frameWidth: W, frameHeight: H });
    const snapshots: Track[][] = [];
    for (let f = 0; f < 40; f++) {
      feed(plain, f);
      feed(watched, f);
      if (f % 5 === 4) snapshots.push(watched.snapshot());
    }
    expect(watched.finish(39)).toEqual(plain.finish(39));

    // Early snapshots already hold both faces, valid for the plan, ending no later than the frame reached.
    const early = snapshots[1]!; // after frame 9
    expect(early).toHaveLength(2);
    for (const t of early) {
      expect(trackSchema.safeParse(t).success).toBe(true);
      expect(t.id).toMatch(/provisional/);
      expect(t.decision).toBe('proposed');
      expect(Math.max(...t.keyframes.map((k) => k.frame))).toBeLessThanOrEqual(9);
    }
    expect(early.some((t) => contains(boxAtFrame(t, 5), faceA(5)))).toBe(true);
    expect(early.some((t) => contains(boxAtFrame(t, 5), faceB(5)))).toBe(true);
    // Later snapshots reach further.
    const lastKey = (ts: Track[]) => Math.max(...ts.flatMap((t) => t.keyframes.map((k) => k.frame)));
    expect(lastKey(snapshots[snapshots.length - 1]!)).toBeGreaterThan(lastKey(early));
  });

  it('is empty before any frame and refused after finish', () => {
    const t = tracker();
    expect(t.snapshot()).toEqual([]);
    t.push(0, [det(faceA(0))]);
    t.finish(0);
    expect(() => t.snapshot()).toThrow(/after finish/);
  });
});

describe('a face that starts to move fast beside a weak detection', () => {
  // Real footage (a man squatting, his 28 px face dropping 20 px between analysed frames): a weak
  // box under his face started a tentative track, the face's own next detection lay nearer that
  // track's still prediction than his lagging one, and confirmed it. Two tracks then shared one face,
  // and whichever lost a frame's detection was followed onto the background.
  const face = (f: number): Box => ({ x: 100, y: f <= 20 ? 50 : 50 + 7 * (f - 20), w: 20, h: 28 });

  it('keeps the face in its own track: established tracks choose their detections first', () => {
    const t = tracker({ maxCentreDistance: 1 });
    for (let f = 0; f <= 40; f += 2) {
      const dets = [det(face(f), 0.88)];
      if (f === 22) dets.push(det({ x: 100, y: face(f).y + 15, w: 20, h: 28 }, 0.45));
      t.push(f, dets);
    }
    const tracks = t.finish(40);
    expect(tracks).toHaveLength(1);
    for (let f = 0; f <= 40; f++) expect(contains(boxAtFrame(tracks[0]!, f), face(f))).toBe(true);
  });
});
