import { useRef } from 'react';

/**
 * A horizontal splitter: dragged up or down (or moved with the arrow keys when focused, Shift for
 * bigger steps) it hands the new size of the panel below it to `onResize`, which clamps it.
 */
export function Splitter({ size, onResize, label }: { size: number; onResize(px: number): void; label: string }) {
  const start = useRef<{ y: number; size: number } | null>(null);
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label={label}
      aria-valuenow={size}
      tabIndex={0}
      title={`${label}: drag, or use the arrow keys`}
      data-testid="timeline-splitter"
      onPointerDown={(e) => {
        start.current = { y: e.clientY, size };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => start.current && onResize(start.current.size + start.current.y - e.clientY)}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 80 : 20;
        if (e.key === 'ArrowUp') onResize(size + step);
        else if (e.key === 'ArrowDown') onResize(size - step);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    />
  );
}
