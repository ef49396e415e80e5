import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A dialog that owns the keyboard while it is open: it takes focus (and gives it back on closing),
 * keeps Tab inside, closes on Escape when it may, and lets no key reach the editor behind it. A key
 * the editor acted on behind an open dialog once deleted a region the dialog was about to export.
 */
export function Modal(props: {
  label: string;
  className?: string;
  testId?: string;
  /** Escape and a click on the backdrop close it; null while it must stay open (an export running). */
  onClose: (() => void) | null;
  /** A click beside the dialog closes it too (only for dialogs that hold nothing to lose). */
  closeOnBackdrop?: boolean;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The dialog itself, not its first control: its top stays in view, and Tab goes on from there.
    dialog.current?.focus();
    // First in line for every key (capture, on the window): Escape closes; Tab stays inside; a key whose
    // focus is outside the dialog (it was lost to the page) goes nowhere.
    const onKey = (e: KeyboardEvent) => {
      const box = dialog.current;
      if (!box) return;
      const inside = e.target instanceof Node && box.contains(e.target);
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onClose.current?.();
      } else if (e.key === 'Tab') {
        const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
        const first = items[0];
        const last = items.at(-1);
        const active = document.activeElement;
        if (!first || !last) {
          e.preventDefault();
        } else if (!inside || (e.shiftKey && (active === first || active === box)) || (!e.shiftKey && active === last)) {
          e.preventDefault();
          (e.shiftKey ? last : first).focus();
        }
      } else if (!inside) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      before?.focus();
    };
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => props.closeOnBackdrop && e.target === e.currentTarget && props.onClose?.()}>
      <div
        ref={dialog}
        className={`modal ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        data-testid={props.testId}
        tabIndex={-1}
        // Keys typed in the dialog must not reach the editor's shortcuts, which listen on the window.
        onKeyDown={(e) => e.stopPropagation()}
      >
        {props.children}
      </div>
    </div>
  );
}
