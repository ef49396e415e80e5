/**
 * Keys the editor answers to. (When renderer/model/shortcuts.ts lands, this table moves there; the
 * handler and the help overlay both read it.)
 */
export interface Shortcut {
  keys: string[];
  action: string;
  description: string;
}

export const KEYMAP: Shortcut[] = [
  { keys: ['ArrowLeft'], action: 'step-back', description: 'one frame back' },
  { keys: ['ArrowRight'], action: 'step-forward', description: 'one frame forward' },
  { keys: ['Shift+ArrowLeft'], action: 'step-back-10', description: 'ten frames back' },
  { keys: ['Shift+ArrowRight'], action: 'step-forward-10', description: 'ten frames forward' },
  { keys: [' '], action: 'play-pause', description: 'play or pause' },
  { keys: ['j'], action: 'shuttle-back', description: 'play backwards (again: faster)' },
  { keys: ['k'], action: 'shuttle-stop', description: 'stop' },
  { keys: ['l'], action: 'shuttle-forward', description: 'play (again: faster)' },
  { keys: ['i'], action: 'mark-in', description: 'set the in point' },
  { keys: ['o'], action: 'mark-out', description: 'set the out point' },
  { keys: ['a'], action: 'accept', description: 'redact the selected track' },
  { keys: ['r'], action: 'reject', description: 'keep (do not redact) the selected track' },
  { keys: ['Delete', 'Backspace'], action: 'delete', description: 'delete the keyframe here, or the track' },
  { keys: ['n'], action: 'new-region', description: 'draw a new region' },
  { keys: ['s'], action: 'split', description: 'split the selected track here' },
  { keys: ['Ctrl+z'], action: 'undo', description: 'undo' },
  { keys: ['Ctrl+Shift+z', 'Ctrl+y'], action: 'redo', description: 'redo' },
  { keys: ['+', '='], action: 'zoom-in', description: 'zoom the timeline in' },
  { keys: ['-'], action: 'zoom-out', description: 'zoom the timeline out' },
  { keys: ['p'], action: 'preview', description: 'preview the redaction' },
  { keys: ['?'], action: 'help', description: 'show these shortcuts' },
  { keys: ['Escape'], action: 'escape', description: 'close a dialog, stop drawing' },
];

/** "Ctrl+Shift+z" style name of a key event. */
export function keyName(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  const printable = e.key.length === 1 && e.key !== ' ';
  if (e.shiftKey && !(printable && !e.ctrlKey && !e.metaKey)) parts.push('Shift');
  parts.push(e.key.length === 1 ? e.key.toLowerCase() : e.key);
  if (e.key === '?' || e.key === '+') return e.key;
  return parts.join('+');
}

export function actionFor(e: KeyboardEvent): string | undefined {
  const name = keyName(e);
  return KEYMAP.find((s) => s.keys.includes(name))?.action;
}
