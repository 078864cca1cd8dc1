import { type TypedDocumentString, type ViolationFieldsFragment } from './generated/graphql';

/**
 * One broken rule: the schema's `Violation`, as the validate query reads it and as an error's
 * `extensions.violations` carry it (which leave out the `index` of a rule about no list entry).
 */
export type Violation = Omit<ViolationFieldsFragment, 'index'> & Partial<Pick<ViolationFieldsFragment, 'index'>>;

/**
 * A document's variables as the console sends them: where the schema wants a number, the text the
 * user typed (or null for an empty field) may stand instead, so that the API refuses what is not a
 * number in its own words (rule `variables`), not the console in others.
 */
export type AsTyped<T> = T extends number ? T | string | null : T extends object ? { [K in keyof T]: AsTyped<T[K]> } : T;

/** A GraphQL error of the API (or a failure to reach it), with what the console needs to show it. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The API's `extensions.code`; `NETWORK` when the server could not be reached. */
    readonly code: string,
    readonly operationId: string | undefined = undefined,
    readonly violations: readonly Violation[] = [],
    /** For CONFLICT from `expectedVersion`: the client's version now. */
    readonly currentVersion: number | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLErrorBody {
  message?: string;
  extensions?: { code?: string; operationId?: string; violations?: Violation[]; currentVersion?: number };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

/** What the API client needs from the session. */
export interface TokenSource {
  /** The bearer token to send; with `refresh`, a fresh one. */
  token(options?: { refresh?: boolean }): Promise<string>;
  /** True when a refused token may be replaced by asking again (the platform's sign-in). */
  readonly canRefresh: boolean;
  /** The API refused the token even after a refresh: the session is over. */
  expired(message: string): void;
}

/** Calls the public GraphQL API at `/graphql`, nothing else. */
export interface Api {
  /** Runs a query (or a mutation whose answer carries no position). */
  request<R, V>(document: TypedDocumentString<R, V>, variables: NoInfer<AsTyped<V>>): Promise<R>;
  /**
   * Runs a mutation and remembers the `position` its payload (the answer's `field`) carries, so the
   * following queries read this write from whichever instance answers them (the
   * `Consistency-Position` header).
   */
  mutate<F extends string, R extends Record<F, { position: string }>, V>(
    document: TypedDocumentString<R, V>,
    field: F,
    variables: NoInfer<AsTyped<V>>,
  ): Promise<R[F]>;
}

const errorOf = (body: GraphQLErrorBody | undefined, status: number): ApiError => {
  const extensions = body?.extensions ?? {};
  return new ApiError(
    body?.message ?? `The server answered ${status}`,
    extensions.code ?? 'INTERNAL_SERVER_ERROR',
    extensions.operationId,
    extensions.violations ?? [],
    extensions.currentVersion,
  );
};

/** The API client; `endpoint` is the GraphQL path on this origin. */
export function createApi(tokens: TokenSource, endpoint = '/graphql'): Api {
  let lastPosition: string | undefined;

  const send = async <T>(query: string, variables: unknown, refresh: boolean): Promise<T> => {
    const token = await tokens.token({ refresh });
    const headers: Record<string, string> = {
      Accept: 'application/graphql-response+json, application/json',
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    };
    if (lastPosition !== undefined) headers['Consistency-Position'] = lastPosition;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('The server could not be reached. Check your connection and try again.', 'NETWORK');
    }
    let body: GraphQLBody<T>;
    try {
      body = (await response.json()) as GraphQLBody<T>;
    } catch {
      throw new ApiError(`The server answered ${response.status} ${response.statusText} without a GraphQL result`, 'INTERNAL_SERVER_ERROR');
    }
    const first = body.errors?.[0];
    if (first?.extensions?.code === 'UNAUTHENTICATED') {
      if (!refresh && tokens.canRefresh) return send(query, variables, true);
      tokens.expired(first.message ?? 'Your session has ended');
      throw errorOf(first, response.status);
    }
    if (first) throw errorOf(first, response.status);
    if (!body.data) throw new ApiError(`The server answered ${response.status} without data`, 'INTERNAL_SERVER_ERROR');
    return body.data;
  };

  return {
    request: (document, variables) => send(document.toString(), variables, false),
    async mutate<F extends string, R extends Record<F, { position: string }>, V>(
      document: TypedDocumentString<R, V>,
      field: F,
      variables: NoInfer<AsTyped<V>>,
    ) {
      const data = await send<R>(document.toString(), variables, false);
      const payload: R[F] | undefined = data[field];
      if (!payload) throw new ApiError(`The answer has no ${field}`, 'INTERNAL_SERVER_ERROR');
      lastPosition = payload.position;
      return payload;
    },
  };
}
