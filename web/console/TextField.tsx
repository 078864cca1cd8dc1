import { useId } from 'react';
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
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', messages.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
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
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} messages={messages} />
    </div>
  );
}
