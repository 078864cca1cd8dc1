import { type GraphiQLProps } from 'graphiql';

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

/** True without an Authorization header, or while it still holds the `Bearer <...>` placeholder. */
function lacksToken(headers: Record<string, string>): boolean {
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return authorization === undefined || /^Bearer\s+</i.test(authorization.trim());
}

/**
 * A GraphiQL fetcher that POSTs JSON to `endpoint` with the headers from the headers editor.
 * Without a token (no Authorization header, as in GraphiQL's first introspection, or the placeholder)
 * it answers `noTokenMessage` itself instead of sending a request the API must refuse; a response
 * that is not JSON is shown as text.
 */
export function createFetcher(endpoint: string, noTokenMessage: string): Fetcher {
  const fetcher = async (params: FetcherParams, options?: FetcherOpts): Promise<unknown> => {
    const headers = toHeaderValues(options?.headers);
    if (lacksToken(headers)) return { errors: [{ message: noTokenMessage }] };
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
