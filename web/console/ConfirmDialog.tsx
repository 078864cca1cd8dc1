import { type ReactNode, useRef, useState } from 'react';
import { Dialog } from './Dialog';

/**
 * Asks before an action that is hard to undo. It opens with focus on Cancel, so Enter, Enter (or a
 * hurried Space) never runs the action; the action's own button is a Tab away.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  /** The action's button, e.g. "Delete client". */
  confirmLabel: string;
  /** Runs the action; answers why it failed (shown in the dialog), or null when it is done. */
  onConfirm: () => Promise<string | null>;
  /** Cancel, Escape, or the action done: the dialog is to close. */
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      setProblem(await onConfirm());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} role="alertdialog" initialFocus={cancel} onClose={onCancel}>
      {children}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" className="danger" aria-disabled={busy || undefined} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
        <button type="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
