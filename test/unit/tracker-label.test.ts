import { describe, expect, it } from 'vitest';
import { trackSchema } from '../../common/plan';
import { TEXT_TRACKER_SETTINGS } from '../../engine/detect/detect-video';
import { type Detection, FaceTracker, majorityReason } from '../../engine/detect/tracker';

/** A box moving 4 px a frame; every detection scores high enough to confirm at once. */
const at = (frame: number, reason?: string, x0 = 100): Detection => ({ x: x0 + 4 * frame, y: 200, w: 120, h: 30, score: 0.9, ...(reason ? { reason } : {}) });

function run(tracker: FaceTracker, reasons: Array<string | undefined>, x0 = 100): void {
  reasons.forEach((r, f) => tracker.push(f, [at(f, r, x0)]));
}

describe('tracker label and reason', () => {
  it('keeps the face defaults: label face, reason third-party-face, id prefix face-', () => {
    const t = new FaceTracker({ detector: 'm' });
    run(t, [undefined, undefined, undefined]);
    const [track] = t.finish(20);
    expect(track).toMatchObject({ id: 'face-0001', label: 'face', reason: 'third-party-face' });
  });

  it('gives text tracks their label and the reason most of their detections suggest', () => {
    const t = new FaceTracker({ ...TEXT_TRACKER_SETTINGS, detector: 'm' });
    run(t, ['personal-data-visual', 'vehicle-registration', 'vehicle-registration', 'personal-data-visual', 'vehicle-registration']);
    const tracks = t.finish(20);
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ id: 'text-0001', label: 'text', reason: 'vehicle-registration' });
    expect(trackSchema.safeParse(tracks[0]).success).toBe(true);
  });

  it('falls back to the configured reason when no detection suggests one', () => {
    const t = new FaceTracker({ ...TEXT_TRACKER_SETTINGS, detector: 'm' });
    run(t, [undefined, undefined, undefined]);
    expect(t.finish(20)[0]).toMatchObject({ label: 'text', reason: 'personal-data-visual' });
  });

  it('text: a lone detection under 0.99 makes no track (two do), and a text box does not grow when coasting', () => {
    const lone = (score: number) => {
      const t = new FaceTracker({ ...TEXT_TRACKER_SETTINGS, detector: 'm' });
      t.push(30, [{ x: 600, y: 100, w: 400, h: 300, score }]);
      return t.finish(120);
    };
    expect(lone(0.98)).toEqual([]); // as a dark dashboard scored on the night clip
    expect(lone(0.995)).toHaveLength(1);
    const t = new FaceTracker({ ...TEXT_TRACKER_SETTINGS, detector: 'm' });
    // A plate seen every 6th frame, still: two sightings confirm it; between and after them its box stays the detected size.
    for (const f of [0, 6, 12]) t.push(f, [{ x: 100, y: 200, w: 120, h: 30, score: 0.9 }]);
    const [track] = t.finish(40);
    const widest = Math.max(...track!.keyframes.filter((k) => !k.outside).map((k) => k.w));
    // Padding 5% a side, growth at most 10% a side: never more than 1.3 times the detected width.
    expect(widest).toBeLessThanOrEqual(120 * 1.3 + 1);
    const face = new FaceTracker({ detector: 'm' });
    for (const f of [0, 6, 12]) face.push(f, [{ x: 100, y: 200, w: 120, h: 30, score: 0.9 }]);
    // A face's box, by contrast, grows with its uncertainty.
    expect(Math.max(...face.finish(40)[0]!.keyframes.filter((k) => !k.outside).map((k) => k.w))).toBeGreaterThan(120 * 1.3 + 1);
  });

  it('majorityReason: most counted wins, the first suggested breaks a tie, none gives undefined', () => {
    expect(majorityReason(new Map([['a', 2], ['b', 3]]))).toBe('b');
    expect(majorityReason(new Map([['b', 2], ['a', 2]]))).toBe('b');
    expect(majorityReason(new Map())).toBeUndefined();
  });
});
