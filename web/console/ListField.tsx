import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { FieldError } from './FieldError';

/** What an attempt to add or remove an entry came to: null when done, else the messages to show at the field. */
export type ListChange = Promise<string[] | null>;

/**
 * A list of values with a text field and a "+" button to add one and a Remove button per entry:
 * the Allowed Redirect URL(s), Logout Redirect URL(s), CORS Origin(s) and Tags. Whether a value is
 * acceptable is the API's to say: `onAdd` and `onRemove` answer its messages, shown at the field.
 * Focus never falls to the page: after "+" it is in the text field, ready for the next entry; after
 * a Remove it is on the next entry's Remove, or on the text field when no entry follows.
 */
export function ListField({
  label,
  addLabel,
  values,
  onAdd,
  onRemove,
  problems = [],
  entryProblems = () => [],
  hint,
  placeholder,
  readOnly = false,
  inputMode = 'url',
}: {
  /** The visible label of the text field, e.g. "Allowed Redirect URL(s)". */
  label: string;
  /** The accessible name of the "+" button, e.g. "Add redirect URL". */
  addLabel: string;
  values: readonly string[];
  onAdd: (value: string) => ListChange;
  onRemove: (value: string, index: number) => ListChange;
  /** Messages about the list as a whole, from the last save (announced by the form's summary, not here). */
  problems?: readonly string[];
  /** Messages about one listed entry, from the last save. */
  entryProblems?: (index: number) => readonly string[];
  hint?: string;
  placeholder?: string;
  readOnly?: boolean;
  inputMode?: 'url' | 'text';
}) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  /** The entry whose Remove gets focus once the list is shown after a removal (past the end: the text field). */
  const [focusAfterRemove, setFocusAfterRemove] = useState<number | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const shown = [...messages, ...problems];
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;

  useEffect(() => {
    if (focusAfterRemove === null) return;
    setFocusAfterRemove(null);
    const next = container.current?.querySelectorAll<HTMLButtonElement>('button.remove')[focusAfterRemove];
    (next ?? input.current)?.focus();
  }, [focusAfterRemove, values]);

  const add = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const refused = await onAdd(draft);
      setMessages(refused ?? []);
      if (refused === null) setDraft('');
      const active = document.activeElement;
      if (active === document.body || container.current?.contains(active)) input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const remove = async (value: string, index: number) => {
    if (busy) return;
    setBusy(true);
    try {
      const refused = await onRemove(value, index);
      setMessages(refused ?? []);
      if (refused === null) setFocusAfterRemove(index);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void add();
    }
  };

  const describedBy = [hint ? hintId : '', shown.length > 0 ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field list-field" ref={container}>
      <label htmlFor={`${id}-input`}>
        {label}
      </label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {values.length > 0 && (
        <ul className="entries">
          {values.map((value, index) => {
            const entryMessages = entryProblems(index);
            return (
              <li key={`${index}:${value}`} className={entryMessages.length > 0 ? 'invalid' : undefined}>
                <span className="value">{value}</span>
                {!readOnly && (
                  <button type="button" className="remove" aria-label={`Remove ${value}`} aria-disabled={busy || undefined} onClick={() => void remove(value, index)}>
                    Remove
                  </button>
                )}
                <FieldError messages={entryMessages} />
              </li>
            );
          })}
        </ul>
      )}
      {values.length === 0 && readOnly && <p className="muted">None</p>}
      {!readOnly && (
        <div className="add-row">
          <input
            ref={input}
            id={`${id}-input`}
            type="text"
            inputMode={inputMode}
            autoComplete="off"
            spellCheck={false}
            placeholder={placeholder}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            aria-invalid={shown.length > 0 ? true : undefined}
            aria-describedby={describedBy}
          />
          <button type="button" className="plus" aria-label={addLabel} title={addLabel} aria-disabled={busy || undefined} onClick={() => void add()}>
            +
          </button>
        </div>
      )}
      <FieldError id={errorId} messages={shown} announce={messages.length > 0} />
    </div>
  );
}
