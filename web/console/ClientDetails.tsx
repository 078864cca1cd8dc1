import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { lifetimeOf } from './AddClient';
import { type VariablesOf } from '@graphql-typed-document-node/core';
import { ApiError, type Api, type AsTyped } from './api';
import { CopyButton } from './CopyButton';
import { ClientStatus } from './ClientStatus';
import { setFlash } from './flash';
import { formatDateTime } from './format';
import { ClientHistory } from './History';
import { ListField } from './ListField';
import { RedirectTest } from './RedirectTest';
import { TextField } from './TextField';
import {
  Console_AddCorsOriginDocument,
  Console_AddLogoutRedirectUrlDocument,
  Console_AddRedirectUrlDocument,
  Console_DeleteAuthorizationCodeClientDocument,
  Console_DisableAuthorizationCodeClientDocument,
  Console_EnableAuthorizationCodeClientDocument,
  Console_RemoveCorsOriginDocument,
  Console_RemoveLogoutRedirectUrlDocument,
  Console_RemoveRedirectUrlDocument,
  Console_RenameAuthorizationCodeClientDocument,
  Console_SetTokenLifetimeDocument,
  Console_UpdateAuthorizationCodeClientDocument,
  ConsoleClientDocument,
  type TypedDocumentString,
} from './generated/graphql';
import { type Client, type ClientPayload, type Me } from './queries';
import { hrefOf, navigate } from './route';
import { FieldProblems } from './violations';

/** The mutations the details screen runs, each `field(input: Input!)` answering the client's payload. */
const MUTATIONS = {
  renameAuthorizationCodeClient: Console_RenameAuthorizationCodeClientDocument,
  setTokenLifetime: Console_SetTokenLifetimeDocument,
  addRedirectUrl: Console_AddRedirectUrlDocument,
  removeRedirectUrl: Console_RemoveRedirectUrlDocument,
  addLogoutRedirectUrl: Console_AddLogoutRedirectUrlDocument,
  removeLogoutRedirectUrl: Console_RemoveLogoutRedirectUrlDocument,
  addCorsOrigin: Console_AddCorsOriginDocument,
  removeCorsOrigin: Console_RemoveCorsOriginDocument,
  updateAuthorizationCodeClient: Console_UpdateAuthorizationCodeClientDocument,
  enableAuthorizationCodeClient: Console_EnableAuthorizationCodeClientDocument,
  disableAuthorizationCodeClient: Console_DisableAuthorizationCodeClientDocument,
  deleteAuthorizationCodeClient: Console_DeleteAuthorizationCodeClientDocument,
};
type MutationField = keyof typeof MUTATIONS;

/** The input the mutation of `F` takes, as the schema says. */
type InputOf<F extends MutationField> = VariablesOf<(typeof MUTATIONS)[F]>['input'];

/** What a change sets: its mutation's input but the client, the version and the reason, which every change sends. */
type ChangeValues<F extends MutationField> = {
  [K in keyof InputOf<F> as Exclude<K, 'clientId' | 'expectedVersion' | 'reason'>]: AsTyped<InputOf<F>[K]>;
};

/** Runs one change on the client; answers null when saved, else what went wrong, sorted by field. */
type Change = <F extends MutationField>(field: F, values: ChangeValues<F>, fields: readonly string[]) => Promise<FieldProblems | null>;

interface Conflict {
  seen: number;
  current: number | undefined;
}

/** The messages of a refused list change, for the list field. */
const listMessages = (problems: FieldProblems | null): string[] | null =>
  problems === null ? null : [...problems.at('url'), ...problems.at('origin'), ...problems.at('tags'), ...(problems.general ? [problems.general] : [])];

/**
 * A saved form's Save button has nothing left to save and is disabled: focus goes back to the
 * form's first field rather than falling to the page.
 */
const focusFirstField = (form: HTMLFormElement | null) => form?.querySelector('input')?.focus();

/** One setting with its own Save button: a label, a text field, the API's messages. */
function SettingForm({
  label,
  initial,
  hint,
  save,
  saveLabel,
  field,
  readOnly,
  className,
  inputMode = 'text',
}: {
  label: string;
  initial: string;
  hint?: string;
  save: (value: string) => Promise<FieldProblems | null>;
  saveLabel: string;
  field: string;
  readOnly: boolean;
  className?: string;
  inputMode?: 'text' | 'numeric' | 'url';
}) {
  const [value, setValue] = useState(initial);
  const [problems, setProblems] = useState<FieldProblems>(FieldProblems.none);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => setValue(initial), [initial]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const refused = await save(value);
    setProblems(refused ?? FieldProblems.none);
    setBusy(false);
    if (refused === null) focusFirstField(form.current);
  };

  const messages = [...problems.at(field), ...(problems.general ? [problems.general] : [])];
  return (
    <form className="setting" ref={form} onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label={label}
        className={className}
        inputMode={inputMode}
        value={value}
        readOnly={readOnly}
        onChange={setValue}
        hint={hint}
        messages={messages}
        action={
          !readOnly && (
            <button type="submit" disabled={value === initial} aria-disabled={busy || undefined}>
              {saveLabel}
            </button>
          )
        }
      />
    </form>
  );
}

/** Client URI and Logo URI, saved together. */
function LinksForm({ client, change, readOnly }: { client: Client; change: Change; readOnly: boolean }) {
  const [clientUri, setClientUri] = useState(client.clientUri ?? '');
  const [logoUri, setLogoUri] = useState(client.logoUri ?? '');
  const [problems, setProblems] = useState<FieldProblems>(FieldProblems.none);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    setClientUri(client.clientUri ?? '');
    setLogoUri(client.logoUri ?? '');
  }, [client.clientUri, client.logoUri]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const values = { clientUri: clientUri.trim() === '' ? null : clientUri, logoUri: logoUri.trim() === '' ? null : logoUri };
    const refused = await change('updateAuthorizationCodeClient', values, ['clientUri', 'logoUri']);
    setProblems(refused ?? FieldProblems.none);
    if (refused === null) focusFirstField(form.current);
  };

  const unchanged = clientUri === (client.clientUri ?? '') && logoUri === (client.logoUri ?? '');
  const uriField = (label: string, value: string, set: (value: string) => void, field: string) => (
    <TextField
      label={label}
      inputMode="url"
      placeholder="https://app.example.com"
      readOnly={readOnly}
      value={value}
      onChange={set}
      messages={problems.at(field)}
    />
  );
  return (
    <form className="links" ref={form} onSubmit={(event) => void submit(event)} noValidate>
      {uriField('Client URI', clientUri, setClientUri, 'clientUri')}
      {uriField('Logo URI', logoUri, setLogoUri, 'logoUri')}
      {problems.general && (
        <div className="error" role="alert">
          {problems.general}
        </div>
      )}
      {!readOnly && (
        <button type="submit" disabled={unchanged}>
          Save links
        </button>
      )}
    </form>
  );
}

/** One client: every setting editable, enable/disable, delete with confirmation, and its history. */
export function ClientDetails({ api, me, id }: { api: Api; me: Me; id: string }) {
  const [client, setClient] = useState<Client | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const conflictRef = useRef<HTMLDivElement>(null);
  const readOnly = !me.canManageClients;

  const load = useCallback(async () => {
    try {
      const data = await api.request(ConsoleClientDocument, { id });
      setClient(data.authorizationCodeClient);
      setConflict(null);
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const change: Change = async <F extends MutationField>(field: F, values: ChangeValues<F>, fields: readonly string[]) => {
    if (!client) return null;
    const input = { clientId: client.id, expectedVersion: client.version, ...values, ...(reason.trim() !== '' ? { reason } : {}) };
    // MUTATIONS pairs each field with its document, and ChangeValues the values with its input:
    // TypeScript cannot follow either through `F`, so the document is typed by what it answers.
    const document = MUTATIONS[field] as TypedDocumentString<Record<F, ClientPayload>, unknown>;
    setSaved(null);
    try {
      const payload = await api.mutate(document, field, { input });
      if (payload.client) setClient(payload.client);
      setSaved(payload.changed ? 'Saved.' : 'Nothing to save: it was already so.');
      return null;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFLICT' && error.currentVersion !== undefined) {
        setConflict({ seen: client.version, current: error.currentVersion });
        return FieldProblems.of(new Error('Not saved: someone else changed this client (see above).'), []);
      }
      if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        setClient(null);
        return null;
      }
      return FieldProblems.of(error, [...fields, 'reason']);
    }
  };

  const remove = async () => {
    if (!client) return null;
    const problems = await change('deleteAuthorizationCodeClient', {}, []);
    if (problems === null) {
      setFlash({ message: `Client “${client.name}” (${client.id}) was deleted. Its history stays in the audit trail.` });
      navigate({ page: 'clients' });
    }
    return problems;
  };

  if (client === undefined) {
    return loadError ? (
      <div className="error banner" role="alert">
        {loadError} <button type="button" onClick={() => void load()}>Try again</button>
      </div>
    ) : (
      <p role="status">Loading client…</p>
    );
  }
  if (client === null) {
    return (
      <section>
        <h1>No such client</h1>
        <p>
          No client with Client Id <code>{id}</code>: it was deleted, or it belongs to another tenant.
        </p>
        <a href={hrefOf({ page: 'clients' })}>Back to Clients</a>
      </section>
    );
  }

  const listField = (
    label: string,
    addLabel: string,
    values: string[],
    add: (value: string) => Promise<FieldProblems | null>,
    removeValue: (value: string) => Promise<FieldProblems | null>,
    hint: string,
  ) => (
    <ListField
      label={label}
      addLabel={addLabel}
      hint={hint}
      values={values}
      readOnly={readOnly}
      onAdd={async (value) => listMessages(await add(value))}
      onRemove={async (value) => listMessages(await removeValue(value))}
    />
  );

  return (
    <section aria-labelledby="client-title">
      <p className="crumbs">
        <a href={hrefOf({ page: 'clients' })}>Clients</a> / {client.name}
      </p>
      <h1 id="client-title">
        {client.name} <span className={`badge ${client.enabled ? 'on' : 'off'}`}>{client.enabled ? 'Enabled' : 'Disabled'}</span>
      </h1>
      {conflict && (
        <div className="error banner conflict" role="alert" tabIndex={-1} ref={conflictRef}>
          <p>
            <strong>Someone else changed this client after you opened it.</strong> It is now at version{' '}
            {conflict.current ?? 'unknown'}; you were working on version {conflict.seen}. Your change was not saved, so
            nothing of theirs was overwritten.
          </p>
          <p>Reload to see the current settings, then make your change again.</p>
          <button type="button" onClick={() => void load()}>
            Reload
          </button>
        </div>
      )}
      <p className="saved" role="status">
        {saved}
      </p>
      <dl className="facts">
        <dt>Client Id</dt>
        <dd className="id-row">
          <code>{client.id}</code>
          <CopyButton text={client.id} label="Copy Client Id" />
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={client.createdAt}>{formatDateTime(client.createdAt)}</time> by {client.createdBy.name ?? client.createdBy.id}
        </dd>
        <dt>Changed</dt>
        <dd>
          <time dateTime={client.updatedAt}>{formatDateTime(client.updatedAt)}</time> (version {client.version})
        </dd>
      </dl>

      {!readOnly && (
        <div className="card reason">
          <TextField
            label="Reason for your changes (optional)"
            value={reason}
            onChange={setReason}
            hint="Recorded in the history with each change you save here."
          />
        </div>
      )}

      <div className="card settings">
        <h2>Settings</h2>
        <SettingForm
          label="Name"
          field="name"
          initial={client.name}
          saveLabel="Save name"
          readOnly={readOnly}
          save={(name) => change('renameAuthorizationCodeClient', { name }, ['name'])}
        />
        <SettingForm
          label="Token Lifetime"
          field="seconds"
          className="short"
          inputMode="numeric"
          initial={String(client.tokenLifetime)}
          hint="Seconds an access token lives: 60 to 3600."
          saveLabel="Save token lifetime"
          readOnly={readOnly}
          save={(text) => change('setTokenLifetime', { seconds: lifetimeOf(text) ?? null }, ['seconds'])}
        />
        {listField(
          'Allowed Redirect URL(s)',
          'Add redirect URL',
          client.allowedRedirectUrls,
          (url) => change('addRedirectUrl', { url }, ['url']),
          (url) => change('removeRedirectUrl', { url }, ['url']),
          'Where the identity server may send sign-in results; at least one.',
        )}
        {listField(
          'Allowed Logout Redirect URL(s)',
          'Add logout redirect URL',
          client.allowedLogoutRedirectUrls,
          (url) => change('addLogoutRedirectUrl', { url }, ['url']),
          (url) => change('removeLogoutRedirectUrl', { url }, ['url']),
          'Where users land after signing out.',
        )}
        {listField(
          'Allowed CORS Origin(s)',
          'Add CORS origin',
          client.allowedCorsOrigins,
          (origin) => change('addCorsOrigin', { origin }, ['origin']),
          (origin) => change('removeCorsOrigin', { origin }, ['origin']),
          'Other origins the app may call the platform from.',
        )}
        <ListField
          label="Tags"
          addLabel="Add tag"
          hint="Labels to find clients by."
          inputMode="text"
          values={client.tags}
          readOnly={readOnly}
          onAdd={async (tag) => listMessages(await change('updateAuthorizationCodeClient', { tags: [...client.tags, tag] }, ['tags']))}
          onRemove={async (_tag, index) =>
            listMessages(await change('updateAuthorizationCodeClient', { tags: client.tags.filter((_, at) => at !== index) }, ['tags']))
          }
        />
        <LinksForm client={client} change={change} readOnly={readOnly} />
      </div>

      <RedirectTest api={api} clientId={client.id} />

      {!readOnly && (
        <ClientStatus
          client={client}
          enable={() => change('enableAuthorizationCodeClient', {}, [])}
          disable={() => change('disableAuthorizationCodeClient', {}, [])}
          remove={remove}
        />
      )}

      <div className="card">
        <h2>History</h2>
        <ClientHistory api={api} clientId={client.id} version={client.version} />
      </div>

    </section>
  );
}
