import { describe, expect, it } from 'vitest';
import { ACTIONS, SHORTCUTS, actionForKey, chordId, describeShortcut, helpRows, type ActionId } from '../../renderer/model/shortcuts';

describe('keymap', () => {
  it('no two shortcuts share a chord', () => {
    const seen = new Map<string, ActionId>();
    for (const s of SHORTCUTS) {
      const id = chordId(s);
      expect(seen.get(id), `${id} is bound twice`).toBeUndefined();
      seen.set(id, s.action);
    }
  });

  it('every action has a description and at least one key; every key has a known action', () => {
    for (const [action, description] of Object.entries(ACTIONS)) {
      expect(description.length, action).toBeGreaterThan(3);
      expect(SHORTCUTS.some((s) => s.action === action), action).toBe(true);
    }
    for (const s of SHORTCUTS) expect(Object.keys(ACTIONS)).toContain(s.action);
  });

  it('the help overlay lists every action once with readable keys', () => {
    const rows = helpRows();
    expect(rows.map((r) => r.action).sort()).toEqual(Object.keys(ACTIONS).sort());
    expect(rows.find((r) => r.action === 'redo')!.keys).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y']);
    expect(rows.find((r) => r.action === 'play-pause')!.keys).toEqual(['Space']);
    expect(describeShortcut({ key: 'ArrowLeft', shift: true, action: 'frame-back-10' })).toBe('Shift+←');
  });
});

describe('actionForKey', () => {
  const cases: Array<[Parameters<typeof actionForKey>[0], ActionId | null]> = [
    [{ key: 'ArrowLeft' }, 'frame-back'],
    [{ key: 'ArrowRight', shiftKey: true }, 'frame-forward-10'],
    [{ key: 'u' }, 'next-unwatched'],
    [{ key: 'U', shiftKey: true }, 'previous-unwatched'],
    [{ key: '.' }, 'next-keyframe'],
    [{ key: ',' }, 'previous-keyframe'],
    [{ key: 'Home' }, 'go-to-start'],
    [{ key: 'End' }, 'go-to-end'],
    [{ key: 'g', ctrlKey: true }, 'go-to'],
    [{ key: ' ' }, 'play-pause'],
    [{ key: 'j' }, 'shuttle-reverse'],
    [{ key: 'K' }, 'shuttle-stop'], // caps lock
    [{ key: 'l' }, 'shuttle-forward'],
    [{ key: 'i' }, 'mark-in'],
    [{ key: 'o' }, 'mark-out'],
    [{ key: 'a' }, 'accept'],
    [{ key: 'r' }, 'reject'],
    [{ key: 'Delete' }, 'delete'],
    [{ key: 'z', ctrlKey: true }, 'undo'],
    [{ key: 'z', metaKey: true }, 'undo'], // macOS
    [{ key: 'Z', ctrlKey: true, shiftKey: true }, 'redo'],
    [{ key: 'y', ctrlKey: true }, 'redo'],
    [{ key: 'n' }, 'new-region'],
    [{ key: 's' }, 'split'],
    [{ key: '+', shiftKey: true }, 'zoom-in'],
    [{ key: '=' }, 'zoom-in'],
    [{ key: '-' }, 'zoom-out'],
    [{ key: '?', shiftKey: true }, 'help'],
    [{ key: 'z' }, 'video-zoom-in'],
    [{ key: 's', ctrlKey: true }, null],
    [{ key: 'a', altKey: true }, null],
    [{ key: 'x' }, null],
  ];
  for (const [event, action] of cases) {
    it(`${JSON.stringify(event)} -> ${action}`, () => expect(actionForKey(event)).toBe(action));
  }
});
