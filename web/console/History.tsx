import { useCallback, useEffect, useRef, useState } from 'react';
import { type Api } from './api';
import { AuditLogStatus } from './AuditLogStatus';
import { formatDateTime, formatValue } from './format';
import { type AuditFilter, ConsoleAuditTrailDocument, ConsoleClientHistoryDocument } from './generated/graphql';
import { HistoryFilters } from './HistoryFilters';
import { type AuditEntry, type AuditPage } from './queries';
import { hrefOf } from './route';

const PAGE_SIZE = 20;

/**
 * Opens the client as this entry left it (a deletion: as it was just before), where an
 * administrator can also revert to it.
 */
function AsItWasLink({ entry }: { entry: AuditEntry }) {
  const version = entry.action === 'client.deleted' ? entry.version - 1 : entry.version;
  if (version < 1) return null;
  return (
    <a href={hrefOf({ page: 'clientVersion', id: entry.clientId, version })}>
      View as it was<span className="visually-hidden"> at version {version} of {entry.clientName}</span>
    </a>
  );
}

/** Who changed what, when and why, with each field's value before and after. */
function HistoryTable({ entries, showClient, focusId }: { entries: readonly AuditEntry[]; showClient: boolean; focusId: string | null }) {
  return (
    <div className="table-wrap">
      <table className="history">
        <caption className="visually-hidden">Changes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showClient && <th scope="col">Client</th>}
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Why</th>
            <th scope="col">Changes</th>
            <th scope="col">
              <span className="visually-hidden">Version</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-entry-id={entry.id} tabIndex={entry.id === focusId ? -1 : undefined}>
              <td data-label="When">
                <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
              </td>
              {showClient && (
                <td data-label="Client">
                  <a href={hrefOf({ page: 'client', id: entry.clientId })}>{entry.clientName}</a>
                </td>
              )}
              <td data-label="Who">{entry.actor.name ?? entry.actor.id}</td>
              <td data-label="What">
                <code>{entry.action}</code>
              </td>
              <td data-label="Why">{entry.reason ?? <span className="muted">—</span>}</td>
              <td data-label="Changes">
                <ul className="changes">
                  {entry.changes.map((change) => (
                    <li key={change.field}>
                      <span className="field-name">{change.field}</span>: <del>{formatValue(change.before)}</del>{' '}
                      <span aria-hidden="true">→</span>
                      <span className="visually-hidden"> became </span> <ins>{formatValue(change.after)}</ins>
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label="Version">
                <AsItWasLink entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Fetches the page of an audit query after a cursor (the newest page for null). */
type FetchAuditPage = (after: string | null) => Promise<AuditPage>;

/** Pages through an audit query, newest first; another query or `reloadKey` starts again from the newest. */
function useAuditPages(fetchPage: FetchAuditPage, reloadKey: unknown) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** The first entry of the page loaded last by "Show older changes", for focus to go to. */
  const [firstOlder, setFirstOlder] = useState<string | null>(null);

  /** Counts loads, so an answer to an older one (other filters, say) never replaces a newer one's. */
  const latest = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const request = (latest.current += 1);
      setLoading(true);
      try {
        const auditTrail = await fetchPage(after);
        if (request !== latest.current) return;
        setEntries((before) => (after === null ? auditTrail.nodes : [...before, ...auditTrail.nodes]));
        setFirstOlder(after === null ? null : (auditTrail.nodes[0]?.id ?? null));
        setPage(auditTrail);
        setError(null);
      } catch (reason) {
        if (request === latest.current) setError(reason instanceof Error ? reason.message : String(reason));
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(null);
  }, [load, reloadKey]);

  return { entries, page, error, loading, firstOlder, more: () => void load(page?.pageInfo.endCursor ?? null) };
}

/**
 * The entries, their count, and "Show older changes", which puts focus on the first entry it
 * loaded (the button itself goes when there is nothing older), so the keyboard reads on from there.
 */
function HistoryView({ history, showClient, filtered = false }: { history: ReturnType<typeof useAuditPages>; showClient: boolean; filtered?: boolean }) {
  const { entries, page, error, loading, firstOlder, more } = history;
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (firstOlder !== null) container.current?.querySelector<HTMLElement>(`tr[data-entry-id="${CSS.escape(firstOlder)}"]`)?.focus();
  }, [firstOlder]);
  return (
    <div aria-busy={loading} ref={container}>
      {error && (
        <div className="error banner" role="alert">
          {error}
        </div>
      )}
      {page && (
        <p className="muted" role="status">
          {page.totalCount === 0
            ? filtered
              ? 'No change matches these filters.'
              : 'No changes recorded.'
            : `${entries.length} of ${page.totalCount} changes shown, newest first.`}
        </p>
      )}
      {entries.length > 0 && <HistoryTable entries={entries} showClient={showClient} focusId={firstOlder} />}
      {page?.pageInfo.hasNextPage && (
        <button type="button" onClick={() => !loading && more()} aria-disabled={loading || undefined}>
          Show older changes
        </button>
      )}
    </div>
  );
}

/** One client's history; shown again from the newest whenever `version` changes. */
export function ClientHistory({ api, clientId, version }: { api: Api; clientId: string; version: number }) {
  const fetchPage = useCallback<FetchAuditPage>(
    async (after) => (await api.request(ConsoleClientHistoryDocument, { id: clientId, first: PAGE_SIZE, after })).auditTrail,
    [api, clientId],
  );
  const history = useAuditPages(fetchPage, version);
  return <HistoryView history={history} showClient={false} />;
}

/** Every change in the tenant: the audit trail, filtered by action, actor, client and time. */
export function TenantHistory({ api }: { api: Api }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const fetchPage = useCallback<FetchAuditPage>(
    async (after) => (await api.request(ConsoleAuditTrailDocument, { filter, first: PAGE_SIZE, after })).auditTrail,
    [api, filter],
  );
  const history = useAuditPages(fetchPage, null);
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <p className="muted">Every change to the tenant’s clients: who made it, when, why, and each value before and after.</p>
      <AuditLogStatus api={api} />
      <HistoryFilters onApply={setFilter} />
      <HistoryView history={history} showClient filtered={Object.keys(filter).length > 0} />
    </section>
  );
}
