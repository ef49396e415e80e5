import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../common/reasons';
import { checkedReasonList, defaultCode, ReasonListError, storedReasonList, withNeedsText, withoutReason, withReason } from '../../renderer/model/reason-list';

describe('the reason list preference', () => {
  it('reads the defaults when nothing valid is stored', () => {
    expect(storedReasonList(undefined)).toEqual(DEFAULT_REASONS);
    expect(storedReasonList([])).toEqual(DEFAULT_REASONS);
    expect(storedReasonList([{ code: 'Bad Code', label: 'x', needsText: false }])).toEqual(DEFAULT_REASONS);
    expect(storedReasonList('third-party-face')).toEqual(DEFAULT_REASONS);
    const custom = [{ code: 'legal-privilege', label: 'Legal professional privilege', needsText: true }];
    expect(storedReasonList(custom)).toEqual(custom);
    // The defaults handed out are copies: editing one cannot change DEFAULT_REASONS.
    storedReasonList(undefined)[0]!.label = 'changed';
    expect(DEFAULT_REASONS[0]!.label).toBe('Third-party face');
  });

  it('adds a code with its label, trimmed and lowercased, at the end', () => {
    const list = withReason(DEFAULT_REASONS, { code: ' Legal-Privilege ', label: ' Legal professional privilege ', needsText: true });
    expect(list.at(-1)).toEqual({ code: 'legal-privilege', label: 'Legal professional privilege', needsText: true });
    expect(list.slice(0, -1)).toEqual(DEFAULT_REASONS);
  });

  it('refuses a duplicate, a malformed code, an empty label or an empty list, saying which', () => {
    expect(() => withReason(DEFAULT_REASONS, { code: 'other', label: 'Again', needsText: false })).toThrow(/duplicate reason code other/);
    expect(() => withReason(DEFAULT_REASONS, { code: 'two words', label: 'x', needsText: false })).toThrow(ReasonListError);
    expect(() => withReason(DEFAULT_REASONS, { code: 'two words', label: 'x', needsText: false })).toThrow(/reason 'two words' \(code\): must be lowercase/);
    expect(() => withReason(DEFAULT_REASONS, { code: 'fine', label: '  ', needsText: false })).toThrow(/reason 'fine' \(label\)/);
    const one = [{ code: 'only', label: 'Only', needsText: false }];
    expect(() => withoutReason(one, 'only')).toThrow(/at least one reason/);
    expect(() => withoutReason(one, 'nope')).toThrow(/no reason 'nope'/);
    expect(checkedReasonList(one)).toEqual(one);
  });

  it('removes a code and marks one as needing free text, leaving the rest as they were', () => {
    const list = withoutReason(DEFAULT_REASONS, 'vehicle-registration');
    expect(list.map((r) => r.code)).toEqual(['third-party-face', 'personal-data-visual', 'spoken-personal-data', 'other']);
    const marked = withNeedsText(list, 'third-party-face', true);
    expect(marked[0]).toEqual({ code: 'third-party-face', label: 'Third-party face', needsText: true });
    expect(marked.slice(1)).toEqual(list.slice(1));
    expect(withNeedsText(marked, 'third-party-face', false)).toEqual(list);
  });

  it('preselects the preferred code when the list has it, else the first', () => {
    expect(defaultCode(DEFAULT_REASONS, 'spoken-personal-data')).toBe('spoken-personal-data');
    expect(defaultCode([{ code: 'x', label: 'X', needsText: false }], 'spoken-personal-data')).toBe('x');
  });
});
