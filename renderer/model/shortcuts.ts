/**
 * The keymap as data: one list drives both the key handler and the help overlay, so they cannot
 * disagree. Keys are KeyboardEvent.key values; letters match either case, and Cmd counts as Ctrl on
 * macOS. Symbols that need Shift on some layouts (?, +) match on the character alone.
 */

export const ACTIONS = {
  'frame-back': 'Step back one frame',
  'frame-forward': 'Step forward one frame',
  'frame-back-10': 'Step back ten frames',
  'frame-forward-10': 'Step forward ten frames',
  'go-to-start': 'Go to the first frame',
  'go-to-end': 'Go to the last frame',
  'go-to': 'Go to a time or frame (type 1:23.5 or #2490, then Enter)',
  'play-pause': 'Play or pause',
  'shuttle-reverse': 'Play backwards (press again for faster)',
  'shuttle-stop': 'Stop',
  'shuttle-forward': 'Play forwards (press again for faster)',
  'mark-in': 'Set the in point',
  'mark-out': 'Set the out point',
  'clear-marks': 'Clear the in and out points',
  accept: 'Accept the selected proposal (redact)',
  reject: 'Reject the selected proposal (keep visible)',
  'next-proposal': 'Select the next undecided proposal and go to its first frame',
  'previous-proposal': 'Select the previous undecided proposal and go to its first frame',
  'next-keyframe': 'Go to the selected region’s next keyframe',
  'previous-keyframe': 'Go to the selected region’s previous keyframe',
  'next-unwatched': 'Go to the next stretch not yet watched',
  'previous-unwatched': 'Go to the previous stretch not yet watched',
  delete: 'Delete the selected keyframe or region',
  undo: 'Undo',
  redo: 'Redo',
  'new-region': 'Draw a new region',
  split: 'Split the selected region at the playhead',
  'zoom-in': 'Zoom the timeline in',
  'zoom-out': 'Zoom the timeline out',
  'video-zoom-in': 'Zoom the video in (on the selected region); the wheel over the video zooms at the pointer, a drag pans',
  'video-zoom-out': 'Zoom the video out',
  'video-zoom-reset': 'Show the whole frame',
  'hide-decided': 'Hide or show regions already decided',
  help: 'Show or hide keyboard shortcuts',
} as const;

export type ActionId = keyof typeof ACTIONS;

export interface Shortcut {
  /** KeyboardEvent.key, lower case for letters. */
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
  action: ActionId;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'ArrowLeft', action: 'frame-back' },
  { key: 'ArrowRight', action: 'frame-forward' },
  { key: 'ArrowLeft', shift: true, action: 'frame-back-10' },
  { key: 'ArrowRight', shift: true, action: 'frame-forward-10' },
  { key: 'Home', action: 'go-to-start' },
  { key: 'End', action: 'go-to-end' },
  { key: 'g', ctrl: true, action: 'go-to' },
  { key: ' ', action: 'play-pause' },
  { key: 'j', action: 'shuttle-reverse' },
  { key: 'k', action: 'shuttle-stop' },
  { key: 'l', action: 'shuttle-forward' },
  { key: 'i', action: 'mark-in' },
  { key: 'o', action: 'mark-out' },
  { key: 'x', ctrl: true, shift: true, action: 'clear-marks' },
  { key: 'a', action: 'accept' },
  { key: 'r', action: 'reject' },
  { key: ']', action: 'next-proposal' },
  { key: '[', action: 'previous-proposal' },
  { key: '.', action: 'next-keyframe' },
  { key: ',', action: 'previous-keyframe' },
  { key: 'u', action: 'next-unwatched' },
  { key: 'u', shift: true, action: 'previous-unwatched' },
  { key: 'Delete', action: 'delete' },
  { key: 'Backspace', action: 'delete' },
  { key: 'z', ctrl: true, action: 'undo' },
  { key: 'z', ctrl: true, shift: true, action: 'redo' },
  { key: 'y', ctrl: true, action: 'redo' },
  { key: 'n', action: 'new-region' },
  { key: 's', action: 'split' },
  { key: '+', action: 'zoom-in' },
  { key: '=', action: 'zoom-in' },
  { key: '-', action: 'zoom-out' },
  { key: 'z', action: 'video-zoom-in' },
  { key: 'z', shift: true, action: 'video-zoom-out' },
  { key: '0', action: 'video-zoom-reset' },
  { key: 'h', action: 'hide-decided' },
  { key: '?', action: 'help' },
];

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

/** Printable symbols whose character already says whether Shift was held. */
function shiftInKey(key: string): boolean {
  return key.length === 1 && !/[a-z ]/i.test(key);
}

function normaliseKey(key: string): string {
  return key.length === 1 ? key.toLowerCase() : key;
}

/** A canonical string per chord, e.g. "ctrl+shift+z"; equal chords give equal strings. */
export function chordId(s: { key: string; ctrl?: boolean; shift?: boolean; alt?: boolean }): string {
  const key = normaliseKey(s.key);
  const shift = s.shift && !shiftInKey(key);
  return `${s.ctrl ? 'ctrl+' : ''}${s.alt ? 'alt+' : ''}${shift ? 'shift+' : ''}${key}`;
}

const BY_CHORD = new Map(SHORTCUTS.map((s) => [chordId(s), s.action]));

/** The action for a key event, or null. */
export function actionForKey(e: KeyLike): ActionId | null {
  return BY_CHORD.get(chordId({ key: e.key, ctrl: !!(e.ctrlKey || e.metaKey), shift: !!e.shiftKey, alt: !!e.altKey })) ?? null;
}

const KEY_NAMES: Record<string, string> = { ' ': 'Space', ArrowLeft: '←', ArrowRight: '→', Delete: 'Delete', Backspace: 'Backspace' };

/** How a shortcut is written in the help overlay, e.g. "Ctrl+Shift+Z". */
export function describeShortcut(s: Shortcut): string {
  const key = KEY_NAMES[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key);
  return `${s.ctrl ? 'Ctrl+' : ''}${s.alt ? 'Alt+' : ''}${s.shift ? 'Shift+' : ''}${key}`;
}

/** Rows for the help overlay: each action once, with all its keys. */
export function helpRows(): Array<{ action: ActionId; description: string; keys: string[] }> {
  return (Object.keys(ACTIONS) as ActionId[]).map((action) => ({
    action,
    description: ACTIONS[action],
    keys: SHORTCUTS.filter((s) => s.action === action).map(describeShortcut),
  }));
}
