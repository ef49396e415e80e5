import { describe, expect, it } from 'vitest';
import { atEdge, edgeContact, growFromEdge, restoreClippedSizes, settleContact } from '../../engine/detect/edge-size';
import type { Observation } from '../../engine/detect/track-output';

const FRAME = { width: 1280, height: 720 };

/** The rule as first written: every other observation within 90 frames, the largest strictly larger. */
function reference(observations: Observation[]): Observation[] {
  return observations.map((o) => {
    let largest = o.box;
    for (const other of observations) {
      if (Math.abs(other.frame - o.frame) <= 90 && other.box.w * other.box.h > largest.w * largest.h) largest = other.box;
    }
    const c = settleContact(edgeContact(o.box, FRAME, Math.max(largest.w, largest.h)), edgeContact(o.box, FRAME, 2));
    return atEdge(c) ? { ...o, box: growFromEdge(o.box, c, largest.w, largest.h) } : o;
  });
}

function randomTrack(seed: number, length: number): Observation[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let frame = 0;
  return Array.from({ length }, () => {
    frame += 1 + Math.floor(rand() * 4);
    // Few distinct sizes, so equal areas (ties) happen often.
    const size = 20 + 20 * Math.floor(rand() * 5);
    const x = rand() < 0.3 ? -size / 3 : rand() * (FRAME.width - size);
    const y = rand() * (FRAME.height - size);
    return { frame, box: { x, y, w: size, h: size * 1.25 }, velocity: { x: 0, y: 0 }, confidence: 0.9, growth: 1 } as unknown as Observation;
  });
}

describe('restoreClippedSizes', () => {
  it('grows an edge-cut face to the size the same track shows whole', () => {
    const whole = { frame: 10, box: { x: 600, y: 300, w: 120, h: 150 } };
    const cut = { frame: 40, box: { x: 0, y: 300, w: 50, h: 150 } };
    const [, grown] = restoreClippedSizes([whole, cut] as unknown as Observation[], FRAME);
    expect(grown!.box).toEqual({ x: -70, y: 300, w: 120, h: 150 });
  });

  it('grows a sliver cut by the right edge about its centre vertically, though it is near the top', () => {
    // Measured on a bench clip: grown upwards only, this box left the bottom 60 px of the face bare.
    const whole = { frame: 10, box: { x: 900, y: 100, w: 300, h: 360 } };
    const cut = { frame: 40, box: { x: 1210, y: 50, w: 70, h: 170 } };
    const [, grown] = restoreClippedSizes([whole, cut] as unknown as Observation[], FRAME);
    expect(grown!.box).toEqual({ x: 1210, y: -45, w: 300, h: 360 });
  });

  it('grows away from an edge the box is near but does not touch, when it touches none', () => {
    // The mouth and chin of a face cut at the forehead: boxed well inside, the face goes on above.
    const whole = { frame: 10, box: { x: 600, y: 300, w: 300, h: 300 } };
    const cut = { frame: 40, box: { x: 600, y: 40, w: 100, h: 100 } };
    const [, grown] = restoreClippedSizes([whole, cut] as unknown as Observation[], FRAME);
    expect(grown!.box).toEqual({ x: 500, y: -160, w: 300, h: 300 });
  });

  it('grows a face cut by the top edge upwards, whatever side edge it is near', () => {
    const whole = { frame: 10, box: { x: 600, y: 300, w: 300, h: 300 } };
    const cut = { frame: 40, box: { x: 1150, y: 0, w: 100, h: 120 } };
    const [, grown] = restoreClippedSizes([whole, cut] as unknown as Observation[], FRAME);
    expect(grown!.box).toEqual({ x: 1050, y: -180, w: 300, h: 300 });
  });

  it('takes no size from beyond 90 frames', () => {
    const whole = { frame: 10, box: { x: 600, y: 300, w: 120, h: 150 } };
    const cut = { frame: 101, box: { x: 0, y: 300, w: 50, h: 150 } };
    const [, kept] = restoreClippedSizes([whole, cut] as unknown as Observation[], FRAME);
    expect(kept!.box.w).toBe(50);
  });

  it('gives exactly what comparing every pair gives, ties included', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const track = randomTrack(seed, 400);
      expect(restoreClippedSizes(track, FRAME)).toEqual(reference(track));
    }
  });
});
