import { type FormEvent, useId, useState } from 'react';
import { AUDIT_ACTIONS } from './auditActions';
import { type AuditFilter } from './generated/graphql';

/** The filter form as typed: every field text, empty for "any". */
interface Draft {
  action: string;
  actorId: string;
  clientId: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { action: '', actorId: '', clientId: '', from: '', to: '' };

/** A `datetime-local` value (the browser's time zone) as an ISO instant; empty or unreadable stays unset. */
function instantOf(local: string): string | undefined {
  if (local.trim() === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The API's `AuditFilter` for what the form says; fields left empty filter nothing. */
function auditFilterOf(draft: Draft): AuditFilter {
  const filter: AuditFilter = {};
  if (draft.action !== '') filter.actions = [draft.action];
  if (draft.actorId.trim() !== '') filter.actorId = draft.actorId.trim();
  if (draft.clientId.trim() !== '') filter.clientId = draft.clientId.trim();
  const from = instantOf(draft.from);
  const to = instantOf(draft.to);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

/**
 * The History page's filters, the ones `auditTrail(filter:)` has: action, actor, client and a time
 * range. Applied with the button (or Enter in a field), so nothing is asked while typing a date.
 */
export function HistoryFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const id = useId();
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(auditFilterOf(draft));
  };
  const clear = () => {
    setDraft(EMPTY);
    onApply({});
  };
  const text = (field: 'actorId' | 'clientId', label: string, placeholder: string) => (
    <div className="field inline grow">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input id={`${id}-${field}`} type="text" autoComplete="off" spellCheck={false} placeholder={placeholder} value={draft[field]} onChange={set(field)} />
    </div>
  );
  const time = (field: 'from' | 'to', label: string) => (
    <div className="field inline">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input id={`${id}-${field}`} type="datetime-local" step={1} value={draft[field]} onChange={set(field)} aria-describedby={`${id}-time-hint`} />
    </div>
  );
  return (
    <form className="toolbar filters history-filters" role="search" aria-label="Filter changes" onSubmit={submit}>
      <div className="field inline">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={draft.action} onChange={set('action')}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      {text('actorId', 'Actor id', 'Subject (sub), e.g. ada')}
      {text('clientId', 'Client Id', 'A Client Id')}
      {time('from', 'From')}
      {time('to', 'To')}
      <div className="actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </div>
      <p id={`${id}-time-hint`} className="hint">
        Times are in your time zone: changes from From (included) up to To (not included).
      </p>
    </form>
  );
}
