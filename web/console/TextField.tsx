import { type ReactNode, useId } from 'react';
import { FieldError } from './FieldError';

/** A labelled one-line text field with its hint and the API's messages, tied together for screen readers. */
export function TextField({
  label,
  value,
  onChange,
  onBlur,
  hint,
  messages = [],
  className,
  inputMode = 'text',
  placeholder,
  readOnly = false,
  action,
  announce = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  hint?: string;
  messages?: readonly string[];
  className?: string;
  inputMode?: 'text' | 'numeric' | 'url';
  placeholder?: string;
  readOnly?: boolean;
  /** A button beside the field (e.g. its own Save). */
  action?: ReactNode;
  /** Whether its messages are read out as they appear (see FieldError); a form's summary may speak instead. */
  announce?: boolean;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', messages.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      id={id}
      className={className}
      type="text"
      inputMode={inputMode}
      autoComplete="off"
      placeholder={placeholder}
      readOnly={readOnly}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onBlur={onBlur}
      aria-invalid={messages.length > 0 ? true : undefined}
      aria-describedby={describedBy}
    />
  );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {action ? (
        <div className="add-row">
          {input}
          {action}
        </div>
      ) : (
        input
      )}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} messages={messages} announce={announce} />
    </div>
  );
}
