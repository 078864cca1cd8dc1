import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_HEADERS, DEFAULT_QUERY, GRAPHQL_ENDPOINT, NO_TOKEN_MESSAGE, authorizationIn } from './defaults';
import { createFetcher, createSubscriptions, subscriptionUrl } from './fetcher';
import { createHeaderlessStorage } from './storage';

const REINTROSPECT_DELAY_MS = 400;

/** GraphiQL for this service: token guidance, headers kept out of storage, schema reloads on a new token. */
export function App() {
  const storage = useMemo(() => createHeaderlessStorage(window.localStorage), []);
  const [headersText, setHeadersText] = useState(DEFAULT_HEADERS);
  const [authorization, setAuthorization] = useState(() => authorizationIn(DEFAULT_HEADERS));

  useEffect(() => {
    const timer = setTimeout(() => {
      const next = authorizationIn(headersText);
      if (next !== undefined) setAuthorization(next);
    }, REINTROSPECT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [headersText]);

  // GraphiQL introspects again whenever its fetcher changes: a fresh fetcher per Authorization value
  // makes Docs and completion appear as soon as a valid token is pasted, without a manual refetch.
  // Each fetcher has its own subscription connection, closed when a new token replaces it.
  const subscriptions = useMemo(() => createSubscriptions(subscriptionUrl(GRAPHQL_ENDPOINT, window.location)), [authorization]);
  useEffect(() => () => subscriptions.dispose(), [subscriptions]);
  const fetcher = useMemo(() => createFetcher(GRAPHQL_ENDPOINT, NO_TOKEN_MESSAGE, subscriptions), [subscriptions]);

  return (
    <GraphiQL
      fetcher={fetcher}
      storage={storage}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={DEFAULT_HEADERS}
      defaultEditorToolsVisibility="headers"
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
      onEditHeaders={setHeadersText}
    />
  );
}
