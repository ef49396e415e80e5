import { useCallback, useEffect, useRef, useState } from 'react';
import { addWatched, NOTHING_WATCHED, type WatchedFrames } from '../../common/review-coverage';
import { watchedByMove, type PlayheadMove } from '../model/review-tracking';
import { repository } from './repository';

/** How often watched frames are written: playback marks a frame 30 times a second, IndexedDB need not. */
const FLUSH_MS = 1000;

export interface ReviewCoverage {
  /** Every frame of the clip watched so far (stored plus this session). */
  watched: WatchedFrames;
  /** Records a move of the playhead; counts only if it showed frames at normal speed or by stepping. */
  moved(from: number, to: number, move: PlayheadMove): void;
  /** Writes what is pending now (before export). */
  flush(): Promise<void>;
}

/** The clip's review coverage: loaded from the store, kept in memory, written back in batches. */
export function useReviewCoverage(clipId: string): ReviewCoverage {
  const [watched, setWatched] = useState<WatchedFrames>(NOTHING_WATCHED);
  const pending = useRef<WatchedFrames>(NOTHING_WATCHED);

  const flush = useCallback(async () => {
    const batch = pending.current;
    if (!batch.length) return;
    pending.current = NOTHING_WATCHED;
    try {
      await repository.addWatched(clipId, batch);
    } catch {
      // Keep it for the next try: coverage is only ever added to.
      for (const [a, b] of batch) pending.current = addWatched(pending.current, a, b);
    }
  }, [clipId]);

  useEffect(() => {
    let live = true;
    pending.current = NOTHING_WATCHED;
    setWatched(NOTHING_WATCHED);
    repository.loadWatched(clipId).then(
      (stored) => live && setWatched((now) => stored.reduce((set, [a, b]) => addWatched(set, a, b), now)),
      () => {},
    );
    const timer = setInterval(() => void flush(), FLUSH_MS);
    // A reload or a closing window: write what is pending while the page still runs.
    const onHide = () => void flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('pagehide', onHide);
      void flush();
    };
  }, [clipId, flush]);

  const moved = useCallback((from: number, to: number, move: PlayheadMove) => {
    const seen = watchedByMove(from, to, move);
    if (!seen) return;
    pending.current = addWatched(pending.current, seen[0], seen[1]);
    setWatched((w) => addWatched(w, seen[0], seen[1]));
    // A frame stepped to is a deliberate look, a few a second at most: written at once, not batched.
    if (move.kind === 'step') void flush();
  }, [flush]);

  return { watched, moved, flush };
}
