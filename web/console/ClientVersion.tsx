import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api } from './api';
import { ConfirmDialog } from './ConfirmDialog';
import { formatDateTime, formatValue } from './format';
import { Console_RevertAuthorizationCodeClientDocument, ConsoleClientVersionDocument } from './generated/graphql';
import { type Client, type Me } from './queries';
import { hrefOf } from './route';
import { TextField } from './TextField';

/** A setting's value: text, a list, or none. */
type Value = string | readonly string[] | null;

/** `Array.isArray` without widening a readonly list to `any[]`. */
const isList = (value: Value): value is readonly string[] => Array.isArray(value);

/** A setting as the version page shows it and compares it; lists are compared as sets, as a revert treats them. */
interface Setting {
  /** The field the API names in a violation. */
  field: string;
  label: string;
  read: (client: Client) => Value;
}

/** Every setting a revert brings back, in the order the details screen shows them. */
const SETTINGS: readonly Setting[] = [
  { field: 'name', label: 'Name', read: (client) => client.name },
  { field: 'enabled', label: 'Status', read: (client) => (client.enabled ? 'Enabled' : 'Disabled') },
  { field: 'tokenLifetime', label: 'Token Lifetime', read: (client) => `${client.tokenLifetime} seconds` },
  { field: 'allowedRedirectUrls', label: 'Allowed Redirect URL(s)', read: (client) => client.allowedRedirectUrls },
  { field: 'allowedLogoutRedirectUrls', label: 'Allowed Logout Redirect URL(s)', read: (client) => client.allowedLogoutRedirectUrls },
  { field: 'allowedCorsOrigins', label: 'Allowed CORS Origin(s)', read: (client) => client.allowedCorsOrigins },
  { field: 'clientUri', label: 'Client URI', read: (client) => client.clientUri ?? null },
  { field: 'logoUri', label: 'Logo URI', read: (client) => client.logoUri ?? null },
  { field: 'tags', label: 'Tags', read: (client) => client.tags },
];

const sameValue = (a: Value, b: Value): boolean =>
  isList(a) && isList(b) ? JSON.stringify([...a].sort()) === JSON.stringify([...b].sort()) : a === b;

/** The settings whose value at the past version is not today's: what a revert would change. */
const differences = (past: Client, current: Client): Setting[] => SETTINGS.filter(({ read }) => !sameValue(read(past), read(current)));

/** Why a revert was refused, in the API's words: each broken rule's message, or the error's own. */
const refusalOf = (error: unknown): string => {
  if (error instanceof ApiError && error.code === 'CONFLICT') {
    return `Not reverted: someone else changed this client since this page opened${error.currentVersion === undefined ? '' : ` (it is now at version ${error.currentVersion})`}. Cancel to see it as it is now.`;
  }
  if (error instanceof ApiError && error.violations.length > 0) {
    const named = error.violations.map(({ field, message }) => {
      const setting = SETTINGS.find((candidate) => candidate.field === field);
      const sentence = message.replace(/\.?$/, '.');
      return setting ? `${setting.label}: ${sentence}` : sentence;
    });
    return `Not reverted. ${named.join(' ')}`;
  }
  return `Not reverted: ${error instanceof Error ? error.message : String(error)}`;
};

interface Versions {
  past: Client | null;
  current: Client | null;
}

/**
 * One client as it was at one version, folded from its events by the API, compared with how it is
 * now; an administrator can give every setting back its value of then (a revert, recorded as the
 * ordinary changes). A deleted client's versions stay readable but cannot be reverted.
 */
export function ClientVersion({ api, me, id, version }: { api: Api; me: Me; id: string; version: number }) {
  const [versions, setVersions] = useState<Versions | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [reverted, setReverted] = useState<{ name: string; version: number } | null>(null);
  const revertedRef = useRef<HTMLParagraphElement>(null);

  const load = useCallback(async () => {
    try {
      setVersions(await api.request(ConsoleClientVersionDocument, { id, version }));
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [api, id, version]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (reverted) revertedRef.current?.focus();
  }, [reverted]);

  if (versions === undefined) {
    return loadError ? (
      <div className="error banner" role="alert">
        {loadError} <button type="button" onClick={() => void load()}>Try again</button>
      </div>
    ) : (
      <p role="status">Loading the client as it was…</p>
    );
  }

  const { past, current } = versions;
  if (past === null) {
    return (
      <section aria-labelledby="version-title">
        <h1 id="version-title">No such version</h1>
        <p>
          The client with Client Id <code>{id}</code> had no version {version}: it never reached it, it was deleted at it, or it belongs to
          another tenant.
        </p>
        <a href={current ? hrefOf({ page: 'client', id }) : hrefOf({ page: 'history' })}>{current ? `Back to ${current.name}` : 'Back to History'}</a>
      </section>
    );
  }

  const revert = async (): Promise<string | null> => {
    if (!current) return null;
    try {
      const payload = await api.mutate(Console_RevertAuthorizationCodeClientDocument, 'revertAuthorizationCodeClient', {
        input: { clientId: id, toVersion: version, expectedVersion: current.version, ...(reason.trim() !== '' ? { reason } : {}) },
      });
      setConfirming(false);
      setReason('');
      setReverted({ name: payload.client?.name ?? past.name, version: payload.client?.version ?? current.version });
      await load();
      return null;
    } catch (error) {
      return refusalOf(error);
    }
  };

  const changed = current ? differences(past, current) : [];
  const canRevert = me.canManageClients && current !== null && changed.length > 0;
  return (
    <section aria-labelledby="version-title">
      <p className="crumbs">
        <a href={hrefOf({ page: 'clients' })}>Clients</a> /{' '}
        {current ? <a href={hrefOf({ page: 'client', id })}>{current.name}</a> : past.name} / Version {version}
      </p>
      <h1 id="version-title">
        {past.name} <span className="muted">as it was at version {version}</span>
      </h1>
      {reverted && (
        <p className="notice success" role="status" tabIndex={-1} ref={revertedRef}>
          Reverted: {reverted.name} is now at version {reverted.version}, with the settings of version {version}. The history shows each
          change the revert made.
        </p>
      )}
      <p>
        The settings from <time dateTime={past.updatedAt}>{formatDateTime(past.updatedAt)}</time> until the client’s next change.{' '}
        {current ? `Today it is at version ${current.version}.` : 'The client has since been deleted: it cannot be reverted.'}
      </p>
      <dl className="facts">
        <dt>Client Id</dt>
        <dd>
          <code>{past.id}</code>
        </dd>
        {SETTINGS.map(({ label, read }) => (
          <Fact key={label} label={label} value={read(past)} />
        ))}
      </dl>

      {current && (
        <div className="card">
          <h2>Compared with now</h2>
          {current.version === version ? (
            <p>This is the client’s current version.</p>
          ) : changed.length === 0 ? (
            <p>Every setting is as it is now (version {current.version}): reverting would change nothing.</p>
          ) : (
            <div className="table-wrap compare">
            <table>
              <caption className="visually-hidden">Settings that differ from now</caption>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">At version {version}</th>
                  <th scope="col">Now (version {current.version})</th>
                </tr>
              </thead>
              <tbody>
                {changed.map(({ label, read }) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td data-label={`At version ${version}`}>{formatValue(read(past))}</td>
                    <td data-label="Now">{formatValue(read(current))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          {canRevert && (
            <button type="button" className="primary" onClick={() => setConfirming(true)}>
              Revert to version {version}
            </button>
          )}
        </div>
      )}

      {confirming && current && (
        <ConfirmDialog
          title={`Revert to version ${version}?`}
          confirmLabel="Revert client"
          onConfirm={revert}
          onCancel={() => {
            setConfirming(false);
            void load();
          }}
        >
          <p>
            Give <strong>{current.name}</strong> (<code>{id}</code>) back its settings of version {version}:{' '}
            {changed.map(({ label }) => label).join(', ')}. Each change is recorded in the history, like one made by hand.
          </p>
          <TextField label="Reason (optional)" value={reason} onChange={setReason} hint="Recorded in the history with each change the revert makes." />
        </ConfirmDialog>
      )}
    </section>
  );
}

/** One setting's value as it was. */
function Fact({ label, value }: { label: string; value: Value }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {isList(value) ? (
          value.length === 0 ? (
            <span className="muted">(none)</span>
          ) : (
            <ul className="plain">
              {value.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )
        ) : (
          (value ?? <span className="muted">—</span>)
        )}
      </dd>
    </>
  );
}
