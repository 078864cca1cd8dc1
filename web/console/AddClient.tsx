import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api, type AsTyped, type Violation } from './api';
import { CreatedDialog } from './CreatedDialog';
import { ListField } from './ListField';
import { TextField } from './TextField';
import {
  type AddAuthorizationCodeClientInput,
  Console_AddAuthorizationCodeClientDocument,
  ConsoleValidateClientDocument,
} from './generated/graphql';
import { type Me } from './queries';
import { hrefOf } from './route';
import { FieldProblems, fieldOf } from './violations';

type ListName = 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls' | 'allowedCorsOrigins';

/** The form's fields by the API's names, with their labels, in the order the form shows them. */
const LABELS: Record<string, string> = {
  name: 'Name',
  allowedRedirectUrls: 'Allowed Redirect URL(s)',
  allowedLogoutRedirectUrls: 'Allowed Logout Redirect URL(s)',
  allowedCorsOrigins: 'Allowed CORS Origin(s)',
  tokenLifetime: 'Token Lifetime',
  reason: 'Reason',
};
const FIELDS = Object.keys(LABELS);

/** What a refused Add says, once, for the whole form: how many fields need a change, and which. */
function summaryOf(problems: FieldProblems): string {
  const labels = FIELDS.filter((field) => problems.fields.includes(field)).map((field) => LABELS[field]);
  const fields = labels.length === 0 ? '' : `${labels.length === 1 ? '1 field needs' : `${labels.length} fields need`} a change: ${labels.join(', ')}.`;
  return ['Not added.', fields, problems.general ?? ''].filter(Boolean).join(' ');
}

interface Draft {
  name: string;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls: string[];
  allowedCorsOrigins: string[];
  tokenLifetime: string;
  reason: string;
}

const EMPTY: Draft = {
  name: '',
  allowedRedirectUrls: [],
  allowedLogoutRedirectUrls: [],
  allowedCorsOrigins: [],
  tokenLifetime: '3600',
  reason: '',
};

/**
 * The lifetime as typed: a whole number is sent as one, anything else as the text itself, so the
 * API (not the console) refuses it, in its own words.
 */
export function lifetimeOf(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[+-]?\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The form as `AddAuthorizationCodeClientInput`, the lifetime as typed. */
function inputOf(draft: Draft): AsTyped<AddAuthorizationCodeClientInput> {
  const input: AsTyped<AddAuthorizationCodeClientInput> = {
    name: draft.name,
    allowedRedirectUrls: draft.allowedRedirectUrls,
    allowedLogoutRedirectUrls: draft.allowedLogoutRedirectUrls,
    allowedCorsOrigins: draft.allowedCorsOrigins,
  };
  const lifetime = lifetimeOf(draft.tokenLifetime);
  if (lifetime !== undefined) input.tokenLifetime = lifetime;
  if (draft.reason.trim() !== '') input.reason = draft.reason;
  return input;
}

/** The API's check of the form: the violations it would refuse it with (the request's own, when it cannot be run). */
async function violationsOf(api: Api, input: AsTyped<AddAuthorizationCodeClientInput>): Promise<Violation[]> {
  try {
    return (await api.request(ConsoleValidateClientDocument, { input })).validateAuthorizationCodeClient;
  } catch (error) {
    if (error instanceof ApiError && error.violations.length > 0) return [...error.violations];
    throw error;
  }
}

/** The Add Client form: the administrator's procedure, checked by the API at each field. */
export function AddClient({ api, me }: { api: Api; me: Me }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problems, setProblems] = useState<FieldProblems>(FieldProblems.none);
  const [checked, setChecked] = useState<Partial<Record<'name' | 'tokenLifetime', string[]>>>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  /** Counts refused Adds: each moves focus to the first field to fix (or the summary when none is marked). */
  const [refusals, setRefusals] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (refusals === 0) return;
    (form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? summary.current)?.focus();
  }, [refusals]);

  /** Asks the API about one field of the form as it stands; its messages are shown there. */
  const checkField = useCallback(
    async (field: 'name' | 'tokenLifetime', current: Draft) => {
      try {
        const violations = await violationsOf(api, inputOf(current));
        setChecked((before) => ({
          ...before,
          [field]: violations.filter((violation) => fieldOf(violation).field === field).map((violation) => violation.message),
        }));
      } catch {
        // the check is a courtesy: Add reports everything anyway
      }
    },
    [api],
  );

  /** "+": the API checks the list with the new entry; refused, the entry stays in the field with its messages. */
  const addEntry = (list: ListName) => async (value: string) => {
    const candidate = value.trim();
    const values = draft[list];
    if (candidate !== '' && values.includes(candidate)) return ['This entry is already in the list.'];
    const input = inputOf({ ...draft, [list]: [...values, value] });
    let violations: Violation[];
    try {
      violations = await violationsOf(api, input);
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
    const here = violations.filter((violation) => {
      const key = fieldOf(violation);
      return key.field === list && (key.index === undefined || key.index === values.length);
    });
    if (here.length > 0) return here.map((violation) => violation.message);
    setDraft((before) => ({ ...before, [list]: [...before[list], candidate] }));
    setProblems(FieldProblems.none);
    return null;
  };

  const removeEntry = (list: ListName) => (_value: string, index: number) => {
    setDraft((before) => ({ ...before, [list]: before[list].filter((_, at) => at !== index) }));
    setProblems(FieldProblems.none);
    return Promise.resolve(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const payload = await api.mutate(Console_AddAuthorizationCodeClientDocument, 'addAuthorizationCodeClient', { input: inputOf(draft) });
      setProblems(FieldProblems.none);
      setCreated(payload.client ? { id: payload.client.id, name: payload.client.name } : null);
    } catch (error) {
      setProblems(FieldProblems.of(error, FIELDS));
      setChecked({});
      setRefusals((count) => count + 1);
    } finally {
      setBusy(false);
    }
  };

  if (!me.canManageClients) {
    return (
      <section>
        <h1>Add Client</h1>
        <p>Adding clients needs the Tenant Administrator role.</p>
        <a href={hrefOf({ page: 'clients' })}>Back to Clients</a>
      </section>
    );
  }

  const nameMessages = [...(checked.name ?? []), ...problems.at('name')];
  const lifetimeMessages = [...(checked.tokenLifetime ?? []), ...problems.at('tokenLifetime')];
  const listProps = (list: ListName) => ({
    values: draft[list],
    onAdd: addEntry(list),
    onRemove: removeEntry(list),
    problems: problems.at(list),
    entryProblems: (index: number) => problems.at(list, index),
  });
  return (
    <section aria-labelledby="add-title">
      <p className="crumbs">
        <a href={hrefOf({ page: 'clients' })}>Clients</a> / Add Client
      </p>
      <h1 id="add-title">Add Client</h1>
      <p className="muted">Client type: Authorization Code (with PKCE; no secret, no refresh token).</p>
      <form className="card form" ref={form} onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
        {!problems.isEmpty && (
          <div className="error banner" role="alert" tabIndex={-1} ref={summary}>
            {summaryOf(problems)}
          </div>
        )}
        <TextField
          label="Name"
          value={draft.name}
          onChange={(name) => setDraft({ ...draft, name })}
          onBlur={() => void checkField('name', draft)}
          hint="Identifies the application that will use the client."
          messages={nameMessages}
          announce={problems.isEmpty}
        />
        <ListField
          label="Allowed Redirect URL(s)"
          addLabel="Add redirect URL"
          hint="Where the identity server may send sign-in results; at least one. Type a URL and press + (or Enter)."
          placeholder="https://app.example.com/callback"
          {...listProps('allowedRedirectUrls')}
        />
        <ListField
          label="Allowed Logout Redirect URL(s)"
          addLabel="Add logout redirect URL"
          hint="Optional: where users land after signing out."
          placeholder="https://app.example.com/signed-out"
          {...listProps('allowedLogoutRedirectUrls')}
        />
        <ListField
          label="Allowed CORS Origin(s)"
          addLabel="Add CORS origin"
          hint="Optional: other origins the app may call the platform from."
          placeholder="https://app.example.com"
          {...listProps('allowedCorsOrigins')}
        />
        <TextField
          label="Token Lifetime"
          className="short"
          inputMode="numeric"
          value={draft.tokenLifetime}
          onChange={(tokenLifetime) => setDraft({ ...draft, tokenLifetime })}
          onBlur={() => void checkField('tokenLifetime', draft)}
          hint="Seconds an access token lives: 60 to 3600; 3600 when left empty."
          messages={lifetimeMessages}
          announce={problems.isEmpty}
        />
        <TextField
          label="Reason (optional)"
          value={draft.reason}
          onChange={(reason) => setDraft({ ...draft, reason })}
          messages={problems.at('reason')}
          announce={false}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Add
          </button>
          <a className="button" href={hrefOf({ page: 'clients' })}>
            Cancel
          </a>
        </div>
      </form>
      {created !== null && <CreatedDialog client={created} />}
    </section>
  );
}
