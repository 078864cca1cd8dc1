import { useState } from 'react';
import { copyText } from './format';

/** A button that copies `text`, saying so (or saying to copy by hand) right after; it reads "Copy" unless `caption` says more. */
export function CopyButton({ text, label, caption = 'Copy' }: { text: string; label: string; caption?: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  return (
    <span className="copy">
      <button type="button" aria-label={label} title={label} onClick={() => void copyText(text).then((ok) => setOutcome(ok ? 'copied' : 'failed'))}>
        {caption}
      </button>
      <span role="status" className="muted">
        {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy: select the text and copy it' : ''}
      </span>
    </span>
  );
}
