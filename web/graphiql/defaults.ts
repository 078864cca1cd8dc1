/** Where the page sends GraphQL requests: this service's endpoint, on the page's own origin. */
export const GRAPHQL_ENDPOINT = '/graphql';

/** The command a developer runs for a token, shown in the default query and headers. */
const TOKEN_COMMAND = 'npm run token -- --tenant demo --role "Tenant Administrator"';

/** What a request answers while the headers editor still holds the placeholder. */
export const NO_TOKEN_MESSAGE = `No token yet. In the project folder run: ${TOKEN_COMMAND}, then paste the token after "Bearer " in the Headers tab.`;

/** Headers editor content until the developer pastes a token (never persisted). */
export const DEFAULT_HEADERS = JSON.stringify(
  {
    Authorization:
      'Bearer <paste a token from: npm run token -- --tenant <tenant> --role "Tenant Administrator">',
  },
  null,
  2,
);

/** The first tab's operation, explaining how to authenticate. */
export const DEFAULT_QUERY = `# Authorization code clients — GraphQL API
#
# Every request needs a bearer token. For the
# development signing key, run in the project
# folder:
#
# ${TOKEN_COMMAND}
#
# ("Tenant Auditor" may run queries only), then
# paste the token into Headers below, after
# "Bearer ". Headers are never saved in the
# browser. Run with Ctrl-Enter (Cmd-Enter on
# macOS) or ▶; Docs and completion load once
# a valid token is in place. Subscriptions
# (auditEntryAdded, authorizationCodeClientChanged)
# run over a WebSocket with the same token.

query Me {
  me {
    id
    name
    tenantId
    roles
  }
}
`;

/** The Authorization header in the headers editor's text, or undefined while it is not JSON. */
export function authorizationIn(headersText: string): string | undefined {
  try {
    const headers: unknown = JSON.parse(headersText);
    if (headers === null || typeof headers !== 'object') return undefined;
    const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization');
    return typeof entry?.[1] === 'string' ? entry[1] : undefined;
  } catch {
    return undefined;
  }
}
