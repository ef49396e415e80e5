import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../common/plan';
import { DEFAULT_REASONS, describeReason, KEEP_REASONS, planReasonProblems, reasonListSchema, reasonProblem, reasonsForDecision } from '../../common/reasons';
import { evidenceFields } from '../../engine/report/evidence';
import { addWatched, mergeWatched, NOTHING_WATCHED, reviewSummary, shareWatched, unwatchedStretches, watchedCount, type WatchedFrames } from '../../common/review-coverage';
import { seededRandom } from '../helpers/random';
import { manualTrack, samplePlan } from '../helpers/plans';

describe('reason codes', () => {
  it('has the defaults the issue asks for, and "other" needs free text', () => {
    expect(DEFAULT_REASONS.map((r) => r.code)).toEqual(['third-party-face', 'vehicle-registration', 'personal-data-visual', 'spoken-personal-data', 'other']);
    expect(reasonListSchema.safeParse(DEFAULT_REASONS).success).toBe(true);
    expect(reasonProblem(DEFAULT_REASONS, 'other')).toMatch(/free-text/);
    expect(reasonProblem(DEFAULT_REASONS, 'other', '  ')).toMatch(/free-text/);
    expect(reasonProblem(DEFAULT_REASONS, 'other', 'a tattoo')).toBeNull();
    expect(reasonProblem(DEFAULT_REASONS, 'vehicle-registration')).toBeNull();
    expect(reasonProblem(DEFAULT_REASONS, 'made-up')).toMatch(/unknown reason code 'made-up'/);
    expect(describeReason(DEFAULT_REASONS, 'other', 'a tattoo')).toBe('Other: a tattoo');
    expect(describeReason(DEFAULT_REASONS, 'third-party-face')).toBe('Third-party face');
  });

  it('a configured list may add codes, but not duplicate them', () => {
    const custom = [...DEFAULT_REASONS, { code: 'legal-privilege', label: 'Legal privilege', needsText: false }];
    expect(reasonListSchema.safeParse(custom).success).toBe(true);
    expect(reasonProblem(custom, 'legal-privilege')).toBeNull();
    expect(reasonListSchema.safeParse([...custom, custom[0]]).success).toBe(false);
    expect(reasonListSchema.safeParse([{ code: 'Bad Code', label: 'x', needsText: false }]).success).toBe(false);
  });

  it('finds tracks and audio ranges whose reason is not acceptable', () => {
    const plan = samplePlan({
      tracks: [manualTrack('a', [{ frame: 0 }]), manualTrack('b', [{ frame: 0 }], { reason: 'other' })],
      audio: [{ id: 'au', start: 0, end: 1, mode: 'mute', reason: 'spoken-personal-data' }, { id: 'av', start: 1, end: 2, mode: 'bleep', reason: 'nope' }],
    });
    expect(planReasonProblems(DEFAULT_REASONS, plan)).toEqual([expect.stringMatching(/^track b: .*free-text/), expect.stringMatching(/^audio range av: unknown/)]);
  });

  it('keeping a region takes its reason from the separate keep list, and reports word it from there', () => {
    expect(reasonListSchema.safeParse(KEEP_REASONS).success).toBe(true);
    expect(reasonsForDecision(DEFAULT_REASONS, 'keep')).toBe(KEEP_REASONS);
    expect(reasonsForDecision(DEFAULT_REASONS, 'redact')).toBe(DEFAULT_REASONS);
    expect(reasonsForDecision(DEFAULT_REASONS, 'proposed')).toBe(DEFAULT_REASONS);
    // A reason to keep is no reason to redact, and the other way round.
    expect(reasonProblem(reasonsForDecision(DEFAULT_REASONS, 'keep'), 'officer-on-duty')).toBeNull();
    expect(reasonProblem(reasonsForDecision(DEFAULT_REASONS, 'redact'), 'officer-on-duty')).toMatch(/unknown reason code/);
    expect(reasonProblem(reasonsForDecision(DEFAULT_REASONS, 'keep'), 'third-party-face')).toMatch(/unknown reason code/);
    expect(reasonProblem(KEEP_REASONS, 'other')).toMatch(/free-text/);

    const custom = [...DEFAULT_REASONS, { code: 'legal-privilege', label: 'Legal professional privilege', needsText: true }];
    const plan = samplePlan({
      tracks: [
        manualTrack('kept', [{ frame: 0 }], { decision: 'keep', reason: 'not-a-face' }),
        manualTrack('kept-why', [{ frame: 0 }], { decision: 'keep', reason: 'other', reasonText: 'the suspect, named in the charge' }),
        manualTrack('privileged', [{ frame: 0 }], { reason: 'legal-privilege', reasonText: 'solicitor on the phone' }),
        manualTrack('open', [{ frame: 0 }], { decision: 'proposed' }),
      ],
    });
    expect(planReasonProblems(custom, plan)).toEqual([]);
    expect(planReasonProblems(DEFAULT_REASONS, plan)).toEqual([expect.stringMatching(/^track privileged: unknown reason code 'legal-privilege'/)]);
    const f = evidenceFields(plan, { operator: 'alice', reasons: custom });
    expect(f.redactions.map((r) => r.reasonLabel)).toEqual(['Not a face', 'Other: the suspect, named in the charge', 'Legal professional privilege: solicitor on the phone', 'Third-party face']);
    expect(f.disclosure.reasons).toEqual(custom);
    expect(f.disclosure.keepReasons).toEqual(KEEP_REASONS);
  });

  it('plans record who decided and when, optionally (older plans still load)', () => {
    const old = samplePlan({ tracks: [manualTrack('a', [{ frame: 0 }])] });
    expect(parsePlan(old).tracks[0]!.decidedBy).toBeUndefined();
    const decided = samplePlan({
      tracks: [manualTrack('a', [{ frame: 0 }], { decidedBy: 'alice', decidedAt: '2026-11-28T10:00:00.000Z' })],
      audio: [{ id: 'au', start: 0, end: 1, mode: 'mute', reason: 'spoken-personal-data', decidedBy: 'bob' }],
    });
    const p = parsePlan(decided);
    expect(p.tracks[0]!.decidedBy).toBe('alice');
    expect(p.audio[0]!.decidedBy).toBe('bob');
    expect(() => parsePlan({ ...decided, tracks: [{ ...decided.tracks[0], decidedBy: 7 }] })).toThrow(/decidedBy/);
  });
});

describe('review coverage', () => {
  it('merges overlapping and adjacent ranges, keeps separate ones apart', () => {
    let s: WatchedFrames = NOTHING_WATCHED;
    s = addWatched(s, 10, 19);
    s = addWatched(s, 30, 39);
    expect(s).toEqual([[10, 19], [30, 39]]);
    s = addWatched(s, 20, 20); // adjacent to the first
    expect(s).toEqual([[10, 20], [30, 39]]);
    s = addWatched(s, 25, 5); // reversed, overlapping the first
    expect(s).toEqual([[5, 25], [30, 39]]);
    s = addWatched(s, 26, 29); // bridges the gap
    expect(s).toEqual([[5, 39]]);
    s = addWatched(s, 0, 1);
    expect(s).toEqual([[0, 1], [5, 39]]);
  });

  it('counts the share watched and lists unwatched stretches within the clip', () => {
    const s = mergeWatched([[10, 19], [50, 200]]);
    expect(watchedCount(s, 100)).toBe(10 + 50);
    expect(shareWatched(s, 100)).toBeCloseTo(0.6);
    expect(unwatchedStretches(s, 100)).toEqual([[0, 9], [20, 49]]);
    expect(unwatchedStretches(NOTHING_WATCHED, 5)).toEqual([[0, 4]]);
    expect(unwatchedStretches(mergeWatched([[0, 4]]), 5)).toEqual([]);
    expect(shareWatched(NOTHING_WATCHED, 0)).toBe(1);
  });

  it('agrees with a frame-by-frame bitmap on random viewing', () => {
    const rand = seededRandom(4);
    for (let run = 0; run < 50; run++) {
      const frames = 1 + Math.floor(rand() * 300);
      const seen = new Array<boolean>(frames).fill(false);
      let s: WatchedFrames = NOTHING_WATCHED;
      for (let k = 0; k < 20; k++) {
        const a = Math.floor(rand() * frames);
        const b = Math.min(frames - 1, a + Math.floor(rand() * 40));
        s = addWatched(s, a, b);
        for (let f = a; f <= b; f++) seen[f] = true;
      }
      for (let i = 1; i < s.length; i++) expect(s[i]![0]).toBeGreaterThan(s[i - 1]![1] + 1);
      expect(watchedCount(s, frames)).toBe(seen.filter(Boolean).length);
      const gaps = unwatchedStretches(s, frames).flatMap(([x, y]) => Array.from({ length: y - x + 1 }, (_, i) => x + i));
      expect(gaps).toEqual(seen.flatMap((v, f) => (v ? [] : [f])));
    }
  });

  it('summarises the review of the frames being exported, trim included', () => {
    const plan = samplePlan({ tracks: [manualTrack('p', [{ frame: 20 }, { frame: 30, outside: true }], { decision: 'proposed' }), manualTrack('d', [{ frame: 0 }])] });
    const all = reviewSummary(plan, mergeWatched([[0, 59]]));
    expect(all).toMatchObject({ recorded: true, frameCount: 60, framesWatched: 60, shareWatched: 1, unwatched: [], complete: false });
    expect(all.undecided).toEqual([{ trackId: 'p', label: 'manual', firstFrame: 20, lastFrame: 29 }]);
    const trimmed = reviewSummary({ ...plan, tracks: [plan.tracks[1]!], trim: { startFrame: 10, endFrame: 19 } }, mergeWatched([[0, 14]]));
    expect(trimmed).toMatchObject({ frameCount: 10, framesWatched: 5, shareWatched: 0.5, unwatched: [[15, 19]], undecided: [], complete: false });
    expect(reviewSummary({ ...plan, tracks: [] }, mergeWatched([[0, 59]])).complete).toBe(true);
    expect(reviewSummary(plan, undefined)).toMatchObject({ recorded: false, framesWatched: null, shareWatched: null, complete: false });
  });
});
