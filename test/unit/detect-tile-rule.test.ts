import { describe, expect, it } from 'vitest';
import { looksInMirror, tileRule } from '../../engine/detect/detector';
import { MIRROR_PASSES, resolveDetectSettings } from '../../engine/detect/settings';

const settings = resolveDetectSettings({ scoreThreshold: 0.45, darkScoreThreshold: 0.3, darkMaxFaceFraction: 1 / 6, darkBoxScale: 1.2 });
const box = (side: number, score: number) => ({ x: 10, y: 10, w: side, h: side, score });

describe('tileRule', () => {
  it('holds every detection of a well-lit tile to scoreThreshold, whatever its size', () => {
    const rule = tileRule(settings, false, 720);
    expect(rule.decodeFrom).toBe(0.45);
    expect(rule.keeps(box(40, 0.44))).toBe(false);
    expect(rule.keeps(box(40, 0.45))).toBe(true);
    expect(rule.keeps(box(400, 0.45))).toBe(true);
  });

  it('in a dark tile keeps weaker faces up to the size cap (a sixth of 720 px: 120), and only those', () => {
    const rule = tileRule(settings, true, 720);
    expect(rule.decodeFrom).toBe(0.3);
    expect(rule.keeps(box(120, 0.3))).toBe(true);
    expect(rule.keeps(box(120, 0.29))).toBe(false);
    expect(rule.keeps(box(121, 0.44))).toBe(false);
    expect(rule.keeps({ x: 0, y: 0, w: 60, h: 130, score: 0.4 })).toBe(false); // the longer side counts
    expect(rule.keeps(box(400, 0.45))).toBe(true);
  });

  it('scales the cap with the frame', () => {
    expect(tileRule(settings, true, 1080).keeps(box(180, 0.35))).toBe(true);
    expect(tileRule(settings, true, 360).keeps(box(61, 0.35))).toBe(false);
  });

  it('is never stricter in the dark than in the light', () => {
    const strictDark = resolveDetectSettings({ scoreThreshold: 0.2, darkScoreThreshold: 0.3 });
    const rule = tileRule(strictDark, true, 720);
    expect(rule.decodeFrom).toBe(0.2);
    expect(rule.keeps(box(40, 0.25))).toBe(true);
  });

  it('enlarges the boxes of small faces in a dark tile about their centre, and no others', () => {
    const dark = tileRule(settings, true, 720);
    expect(dark.fits(box(100, 0.9))).toEqual({ x: expect.closeTo(0), y: expect.closeTo(0), w: expect.closeTo(120), h: expect.closeTo(120), score: 0.9 });
    expect(dark.fits(box(121, 0.9))).toEqual(box(121, 0.9));
    expect(tileRule(settings, false, 720).fits(box(100, 0.9))).toEqual(box(100, 0.9));
  });

  it('rejects a dark threshold or cap out of range', () => {
    expect(() => resolveDetectSettings({ darkScoreThreshold: 1 })).toThrow(/darkScoreThreshold/);
    expect(() => resolveDetectSettings({ darkMaxFaceFraction: -0.1 })).toThrow(/darkMaxFaceFraction/);
    expect(() => resolveDetectSettings({ darkBoxScale: 0.9 })).toThrow(/darkBoxScale/);
  });
});

describe('looksInMirror', () => {
  it('mirrors the whole frame unless off, dark tiles from dark-tiles on, every tile only at every-tile', () => {
    const table = MIRROR_PASSES.map((pass) => [
      pass,
      looksInMirror(pass, 'frame', false),
      looksInMirror(pass, 'tile', true),
      looksInMirror(pass, 'tile', false),
    ]);
    expect(table).toEqual([
      ['off', false, false, false],
      ['whole-frame', true, false, false],
      ['dark-tiles', true, true, false],
      ['every-tile', true, true, true],
    ]);
  });

  it('mirrors dark tiles by default', () => {
    expect(resolveDetectSettings().mirrorPass).toBe('dark-tiles');
  });
});
