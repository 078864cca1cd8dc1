import { type GraphiQLProps } from 'graphiql';
import { OperationTypeNode, getOperationAST, parse } from 'graphql';
import { type Client, createClient } from 'graphql-ws';

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];
type FetcherOpts = Parameters<Fetcher>[1];

function toHeaderValues(headers: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) values[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return values;
}

function authorizationOf(headers: Record<string, string>): string | undefined {
  return Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}

/** True without an Authorization header, or while it still holds the `Bearer <...>` placeholder. */
function lacksToken(headers: Record<string, string>): boolean {
  const authorization = authorizationOf(headers);
  return authorization === undefined || /^Bearer\s+</i.test(authorization.trim());
}

/** Whether GraphiQL is running a subscription (a document that does not parse goes to HTTP, which says why). */
function isSubscription(params: FetcherParams): boolean {
  try {
    return getOperationAST(parse(params.query), params.operationName ?? undefined)?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

/** The subscription endpoint beside the page: `/graphql` on the page's host, ws: or wss: as the page is http: or https:. */
export function subscriptionUrl(endpoint: string, page: Location): string {
  const url = new URL(endpoint, page.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** Why the server closed the connection, shown in the response pane (4401: the token; 4403: its roles). */
function closedMessage(reason: unknown): string {
  const { code, reason: text } = (reason ?? {}) as { code?: unknown; reason?: unknown };
  if (typeof code === 'number') return `The subscription connection closed (${code}${typeof text === 'string' && text ? `: ${text}` : ''})`;
  return reason instanceof Error ? reason.message : 'The subscription connection failed';
}

/**
 * GraphiQL's subscriptions over graphql-ws, the token from the headers editor sent as the
 * connection parameter `authorization`. One connection per token, opened on the first
 * subscription; `dispose` closes it (a new token gets a new fetcher, and so a new connection).
 */
export function createSubscriptions(url: string) {
  let current: { authorization: string; client: Client } | null = null;
  const clientFor = (authorization: string): Client => {
    if (current?.authorization !== authorization) {
      void current?.client.dispose();
      current = { authorization, client: createClient({ url, lazy: true, retryAttempts: 0, connectionParams: { authorization } }) };
    }
    return current.client;
  };
  async function* run(params: FetcherParams, authorization: string): AsyncGenerator<unknown> {
    const request = { query: params.query, operationName: params.operationName ?? undefined, variables: (params.variables ?? undefined) as Record<string, unknown> | undefined };
    try {
      yield* clientFor(authorization).iterate(request);
    } catch (reason) {
      yield { errors: Array.isArray(reason) ? reason : [{ message: closedMessage(reason) }] };
    }
  }
  return {
    run,
    dispose() {
      void current?.client.dispose();
      current = null;
    },
  };
}

/** What createSubscriptions answers. */
export type Subscriptions = ReturnType<typeof createSubscriptions>;

/**
 * A GraphiQL fetcher that POSTs JSON to `endpoint` with the headers from the headers editor, and
 * runs subscriptions over `subscriptions` (graphql-ws) with the same token.
 * Without a token (no Authorization header, as in GraphiQL's first introspection, or the placeholder)
 * it answers `noTokenMessage` itself instead of sending a request the API must refuse; a response
 * that is not JSON is shown as text.
 */
export function createFetcher(endpoint: string, noTokenMessage: string, subscriptions: Subscriptions): Fetcher {
  const fetcher = async (params: FetcherParams, options?: FetcherOpts): Promise<unknown> => {
    const headers = toHeaderValues(options?.headers);
    if (lacksToken(headers)) return { errors: [{ message: noTokenMessage }] };
    if (isSubscription(params)) return subscriptions.run(params, authorizationOf(headers)!);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Accept: 'application/graphql-response+json, application/json',
        ...headers,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(params),
      credentials: 'same-origin',
    });
    const body = await response.text();
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return `${response.status} ${response.statusText}\n\n${body}`;
    }
  };
  // GraphiQL's Fetcher type asks for graphql-ws's ExecutionResult (errors as GraphQLError instances)
  // whenever that package is installed; over HTTP the answer is plain JSON, or text GraphiQL shows as is.
  return fetcher as Fetcher;
}
