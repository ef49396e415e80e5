import { describe, expect, it } from 'vitest';
import { addWatched, NOTHING_WATCHED, reviewSummary, type WatchedFrames } from '../../common/review-coverage';
import { MAX_PLAY_GAP, watchedByMove } from '../../renderer/model/review-tracking';

const play = { kind: 'play', rate: 1, reverse: 0 } as const;

describe('review tracking: which playhead moves count as watched', () => {
  it('single-frame steps, either way, count both frames', () => {
    expect(watchedByMove(10, 11, { kind: 'step' })).toEqual([10, 11]);
    expect(watchedByMove(11, 10, { kind: 'step' })).toEqual([10, 11]);
    expect(watchedByMove(10, 20, { kind: 'step' })).toBeNull();
    expect(watchedByMove(10, 10, { kind: 'step' })).toBeNull();
  });

  it('forward playback at normal speed counts the frames passed, tolerating a dropped frame', () => {
    expect(watchedByMove(10, 11, play)).toEqual([10, 11]);
    expect(watchedByMove(10, 10 + MAX_PLAY_GAP + 1, play)).toEqual([10, 10 + MAX_PLAY_GAP + 1]);
    // A jump while playing (a seek, a stall): only the frame now shown.
    expect(watchedByMove(10, 40, play)).toEqual([40, 40]);
  });

  it('a longer gap counts when the video presented every frame in it (the page was only too busy to be told)', () => {
    expect(watchedByMove(10, 40, { ...play, presentedAll: true })).toEqual([10, 40]);
    expect(watchedByMove(10, 40, { ...play, presentedAll: false })).toEqual([40, 40]);
    // Still only forward at normal speed.
    expect(watchedByMove(10, 40, { kind: 'play', rate: 2, reverse: 0, presentedAll: true })).toBeNull();
    expect(watchedByMove(40, 10, { ...play, presentedAll: true })).toBeNull();
  });

  it('shuttling fast or in reverse, and going backwards, count nothing', () => {
    expect(watchedByMove(10, 12, { kind: 'play', rate: 2, reverse: 0 })).toBeNull();
    expect(watchedByMove(10, 11, { kind: 'play', rate: 0.5, reverse: 0 })).toBeNull();
    expect(watchedByMove(10, 9, { kind: 'play', rate: 1, reverse: 1 })).toBeNull();
    expect(watchedByMove(10, 9, play)).toBeNull();
    expect(watchedByMove(-1, 0, play)).toBeNull();
  });

  it('a session of playing and stepping yields the coverage and stretches the export dialog shows', () => {
    let w: WatchedFrames = NOTHING_WATCHED;
    const mark = (from: number, to: number, move: Parameters<typeof watchedByMove>[2]) => {
      const seen = watchedByMove(from, to, move);
      if (seen) w = addWatched(w, seen[0], seen[1]);
    };
    for (let f = 0; f < 19; f++) mark(f, f + 1, play); // plays 0..19
    mark(19, 30, { kind: 'step' }); // jumps: nothing
    for (let f = 30; f < 39; f++) mark(f, f + 1, { kind: 'step' }); // steps 30..39
    const s = reviewSummary({ tracks: [], source: { video: { frameCount: 60 } } }, w);
    expect(s.framesWatched).toBe(30);
    expect(s.shareWatched).toBe(0.5);
    expect(s.unwatched).toEqual([[20, 29], [40, 59]]);
    expect(s.complete).toBe(false);
  });
});
