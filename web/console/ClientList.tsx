import { useEffect, useId, useRef, useState } from 'react';
import { type Api } from './api';
import { CopyButton } from './CopyButton';
import { takeFlash } from './flash';
import { formatDateTime } from './format';
import { type ClientFilter, type ClientOrder, ConsoleClientsDocument } from './generated/graphql';
import { type ClientPage, type Me } from './queries';
import { hrefOf, navigate } from './route';

const SORTS = {
  'NAME:ASC': { label: 'Name (A to Z)', orderBy: { field: 'NAME', direction: 'ASC' } },
  'NAME:DESC': { label: 'Name (Z to A)', orderBy: { field: 'NAME', direction: 'DESC' } },
  'CREATED_AT:DESC': { label: 'Newest first', orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
  'CREATED_AT:ASC': { label: 'Oldest first', orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
  'UPDATED_AT:DESC': { label: 'Recently changed', orderBy: { field: 'UPDATED_AT', direction: 'DESC' } },
} as const satisfies Record<string, { label: string; orderBy: ClientOrder }>;
type Sort = keyof typeof SORTS;

const PAGE_SIZES = [10, 20, 50, 100] as const;
const SEARCH_DELAY_MS = 250;

/** The id of a client's link in the list, for focus to go to. */
const rowLinkId = (clientId: string) => `client-link-${clientId}`;

/** Which page of the list: the first, or the one after/before a cursor. */
type Cursor = { after?: string; before?: string };

/** Clients: the client type, Add Client, and the tenant's clients searched, filtered, sorted and paged, each Client Id with its Copy. */
export function ClientList({ api, me }: { api: Api; me: Me }) {
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  const [status, setStatus] = useState<'all' | 'enabled' | 'disabled'>('all');
  const [sort, setSort] = useState<Sort>('NAME:ASC');
  const [pageSize, setPageSize] = useState<number>(20);
  const [cursor, setCursor] = useState<Cursor>({});
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<ClientPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [flash] = useState(takeFlash);
  const [announced, setAnnounced] = useState<string | null>(null);
  const flashFocused = useRef(false);
  const ids = { type: useId(), search: useId(), status: useId(), sort: useId(), size: useId() };

  // The message goes into a live region already on the page, so screen readers announce it.
  useEffect(() => setAnnounced(flash?.message ?? null), [flash]);

  // The client the message is about gets focus once its row is shown (it may be on another page).
  useEffect(() => {
    if (flashFocused.current || !flash?.clientId || !page) return;
    flashFocused.current = true;
    document.getElementById(rowLinkId(flash.clientId))?.focus();
  }, [flash, page]);

  useEffect(() => {
    const timer = setTimeout(() => setAppliedSearch(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  // Another search, filter, order or size starts again at the first page.
  useEffect(() => {
    setCursor((current) => (current.after || current.before ? {} : current));
    setPageIndex(0);
  }, [appliedSearch, status, sort, pageSize]);

  useEffect(() => {
    let current = true;
    const filter: ClientFilter = {};
    if (appliedSearch !== '') filter.search = appliedSearch;
    if (status !== 'all') filter.enabled = status === 'enabled';
    const paging = cursor.before ? { last: pageSize, before: cursor.before } : { first: pageSize, after: cursor.after ?? null };
    setLoading(true);
    api
      .request(ConsoleClientsDocument, { filter, orderBy: SORTS[sort].orderBy, ...paging })
      .then((data) => {
        if (!current) return;
        setPage(data.authorizationCodeClients);
        if (!data.authorizationCodeClients.pageInfo.hasPreviousPage) setPageIndex(0);
        setError(null);
      })
      .catch((reason: unknown) => current && setError(reason instanceof Error ? reason.message : String(reason)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, appliedSearch, status, sort, pageSize, cursor]);

  const first = pageIndex * pageSize + 1;
  const shownCount = page?.nodes.length ?? 0;
  const filtered = appliedSearch !== '' || status !== 'all';
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">Clients</h1>
      <p className={announced ? 'notice success' : 'visually-hidden'} role="status">
        {announced}
      </p>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor={ids.type}>Client Type</label>
          <select id={ids.type} defaultValue="authorizationCode">
            <option value="authorizationCode">Authorization Code</option>
            <option value="clientCredentials" disabled>
              Client Credentials (not available yet)
            </option>
            <option value="deviceCode" disabled>
              Device Authorization (not available yet)
            </option>
          </select>
        </div>
        <button
          type="button"
          className="primary"
          disabled={!me.canManageClients}
          title={me.canManageClients ? undefined : 'Needs the Tenant Administrator role'}
          onClick={() => navigate({ page: 'addClient' })}
        >
          Add Client
        </button>
      </div>
      <div className="toolbar filters" role="search" aria-label="Find clients">
        <div className="field inline grow">
          <label htmlFor={ids.search}>Search</label>
          <input
            id={ids.search}
            type="search"
            placeholder="Name or Client Id"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="field inline">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
            <option value="all">All</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="field inline">
          <label htmlFor={ids.sort}>Sort by</label>
          <select id={ids.sort} value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
            {Object.entries(SORTS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor={ids.size}>Per page</label>
          <select id={ids.size} value={pageSize} onChange={(event) => setPageSize(Number(event.target.value))}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <div className="error banner" role="alert">
          {error}
        </div>
      )}
      <div className="table-wrap" aria-busy={loading}>
        <table className="clients">
          <caption className="visually-hidden">Authorization code clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client Id</th>
              <th scope="col">Status</th>
              <th scope="col">Token Lifetime</th>
              <th scope="col">Redirect URLs</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {page?.nodes.map((client) => (
              <tr key={client.id}>
                <td data-label="Name">
                  <a id={rowLinkId(client.id)} href={hrefOf({ page: 'client', id: client.id })}>
                    {client.name}
                  </a>
                </td>
                <td data-label="Client Id">
                  <div className="id-row">
                    <code>{client.id}</code>
                    <CopyButton text={client.id} label={`Copy Client Id of ${client.name}`} />
                  </div>
                </td>
                <td data-label="Status">
                  <span className={`badge ${client.enabled ? 'on' : 'off'}`}>{client.enabled ? 'Enabled' : 'Disabled'}</span>
                </td>
                <td data-label="Token Lifetime">{client.tokenLifetime} s</td>
                <td data-label="Redirect URLs">{client.allowedRedirectUrls.length}</td>
                <td data-label="Changed">
                  <time dateTime={client.updatedAt}>{formatDateTime(client.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.nodes.length === 0 && (
          <p className="empty">
            {filtered ? 'No client matches.' : me.canManageClients ? 'No clients yet: click Add Client to register one.' : 'No clients yet.'}
          </p>
        )}
      </div>
      {page && page.totalCount > 0 && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            disabled={!page.pageInfo.hasPreviousPage || pageIndex === 0}
            onClick={() => {
              setCursor({ before: page.pageInfo.startCursor ?? undefined });
              setPageIndex((index) => Math.max(0, index - 1));
            }}
          >
            Previous page
          </button>
          <span role="status">
            {shownCount === 0 ? '0' : `${first}–${first + shownCount - 1}`} of {page.totalCount}
          </span>
          <button
            type="button"
            disabled={!page.pageInfo.hasNextPage}
            onClick={() => {
              setCursor({ after: page.pageInfo.endCursor ?? undefined });
              setPageIndex((index) => index + 1);
            }}
          >
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
