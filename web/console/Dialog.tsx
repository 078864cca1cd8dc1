import { type KeyboardEvent, type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/** The elements Tab can reach inside `container`, in order. */
function tabbable(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.matches(':disabled') && element.getClientRects().length > 0,
  );
}

/** Tab and Shift+Tab go round the dialog's controls and never leave it. */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const controls = tabbable(event.currentTarget);
  const first = controls[0];
  const last = controls.at(-1);
  const active = document.activeElement;
  if (!first || !last) {
    event.preventDefault();
  } else if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !event.currentTarget.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog on the browser's own `<dialog>`, named by its title for screen readers. It opens
 * with focus on `initialFocus` (the safe choice: Close, or Cancel of a confirmation), keeps Tab
 * inside, closes on Escape, and gives focus back to the control that opened it when that is still
 * there (a dialog that leaves the screen, like the created one, says where focus goes next).
 */
export function Dialog({
  title,
  children,
  onClose,
  initialFocus,
  role = 'dialog',
}: {
  title: string;
  children: ReactNode;
  /** Called when the dialog closes, by a button or Escape. */
  onClose: () => void;
  /** The control focused when the dialog opens. */
  initialFocus: RefObject<HTMLElement | null>;
  role?: 'dialog' | 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus.current?.focus();
    const closed = () => closeRef.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      if (opener?.isConnected && !opener.matches(':disabled')) opener.focus();
    };
  }, [initialFocus]);

  return (
    <dialog ref={ref} className="dialog" role={role} aria-labelledby={titleId} aria-modal="true" onKeyDown={keepTabInside}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
