import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the browser's own `<dialog>`: it keeps focus inside, closes on Escape, and is
 * named by its title for screen readers.
 */
export function Dialog({
  title,
  children,
  onClose,
  role = 'dialog',
}: {
  title: string;
  children: ReactNode;
  /** Called when the dialog closes, by a button or Escape. */
  onClose: () => void;
  role?: 'dialog' | 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    if (!dialog.open) dialog.showModal();
    const closed = () => closeRef.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" role={role} aria-labelledby={titleId} aria-modal="true">
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
