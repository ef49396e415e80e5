import { useState } from 'react';
import { formatTime, parsePlace } from './frame-clock';

export interface TimecodeFieldProps {
  /** Media time of the frame shown, from the first frame. */
  seconds: number;
  frameTimes: readonly number[];
  /** Whether it is a field to type a place into (clicked, or Ctrl+G). */
  open: boolean;
  onOpen(): void;
  onClose(): void;
  onGo(frame: number): void;
  onError(message: string): void;
}

/** The timecode; clicked (or Ctrl+G) it takes a time or a frame to go to (parsePlace), with Enter. */
export function TimecodeField(props: TimecodeFieldProps) {
  if (!props.open) {
    return (
      <button className="timecode" data-testid="timecode" title="Go to a time or frame (Ctrl+G)" onClick={props.onOpen}>
        {formatTime(props.seconds)}
      </button>
    );
  }
  return <GoToField {...props} />;
}

/** The open field: mounted afresh each time it opens, so it starts empty however it was opened. */
function GoToField(props: TimecodeFieldProps) {
  const [text, setText] = useState('');
  const go = () => {
    const place = parsePlace(text, props.frameTimes);
    if ('error' in place) return props.onError(`Cannot go there: ${place.error}.`);
    props.onClose();
    props.onGo(place.frame);
  };
  return (
    <input
      className="timecode"
      data-testid="go-to"
      autoFocus
      value={text}
      placeholder="1:23.5 or #2490"
      aria-label="Go to a time (1:23.5) or a frame (#2490)"
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') go();
        if (e.key === 'Escape') props.onClose();
      }}
      onBlur={props.onClose}
    />
  );
}
