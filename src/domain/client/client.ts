import { normalUrl } from './values';

/** The Client Id apps send, the other settings, and who owns the client. */
export interface Client {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  tokenLifetime: number;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls: string[];
  allowedCorsOrigins: string[];
  clientUri: string | null;
  logoUri: string | null;
  tags: string[];
}

/**
 * A client registered through the standard protocol (RFC 7591): the SHA-256 hash of its current
 * registration access token, and the application type it was registered with.
 */
export type Registration = {
  tokenHash: string;
  applicationType: ApplicationType | null;
};

/**
 * A client's state as its events built it: never created, alive, or deleted for good. A client
 * registered through the standard protocol also holds its registration; deleting it revokes that.
 */
export type ClientState =
  | { status: 'absent' }
  | { status: 'active'; client: Client; registration?: Registration }
  | { status: 'deleted'; client: Client };

type Event<Type extends string, Data> = { type: Type; data: Data };
type WithClientId<Data = object> = { clientId: string } & Data;

/** A client was registered with these settings. */
export type ClientCreated = Event<'ClientCreated', WithClientId<Omit<Client, 'id'>>>;
/** The client got a new name. */
export type ClientRenamed = Event<'ClientRenamed', WithClientId<{ name: string }>>;
/** Access tokens issued to the client now live this many seconds. */
export type TokenLifetimeChanged = Event<'TokenLifetimeChanged', WithClientId<{ seconds: number }>>;
/** The identity server may now send sign-in results to this URL. */
export type RedirectUrlAdded = Event<'RedirectUrlAdded', WithClientId<{ url: string }>>;
/** The identity server may no longer send sign-in results to this URL. */
export type RedirectUrlRemoved = Event<'RedirectUrlRemoved', WithClientId<{ url: string }>>;
/** Users may land on this URL after signing out. */
export type LogoutRedirectUrlAdded = Event<'LogoutRedirectUrlAdded', WithClientId<{ url: string }>>;
/** Users may no longer land on this URL after signing out. */
export type LogoutRedirectUrlRemoved = Event<'LogoutRedirectUrlRemoved', WithClientId<{ url: string }>>;
/** The app may call the platform from this origin. */
export type CorsOriginAdded = Event<'CorsOriginAdded', WithClientId<{ origin: string }>>;
/** The app may no longer call the platform from this origin. */
export type CorsOriginRemoved = Event<'CorsOriginRemoved', WithClientId<{ origin: string }>>;
/** The client may sign users in again. */
export type ClientEnabled = Event<'ClientEnabled', WithClientId>;
/** The client may not sign users in until enabled. */
export type ClientDisabled = Event<'ClientDisabled', WithClientId>;
/** The client's home page changed (null: removed). */
export type ClientUriChanged = Event<'ClientUriChanged', WithClientId<{ clientUri: string | null }>>;
/** The client's logo changed (null: removed). */
export type LogoUriChanged = Event<'LogoUriChanged', WithClientId<{ logoUri: string | null }>>;
/** The client was labelled with a tag. */
export type TagAdded = Event<'TagAdded', WithClientId<{ tag: string }>>;
/** A tag was taken off the client. */
export type TagRemoved = Event<'TagRemoved', WithClientId<{ tag: string }>>;
/** The client is gone for good; its id is never used again. */
export type ClientDeleted = Event<'ClientDeleted', WithClientId>;
/**
 * OpenID Connect Dynamic Client Registration's application type, as a registration gave it: `web`
 * allows only https redirect URLs, `native` the ordinary rules; null when none was given.
 */
export type ApplicationType = 'web' | 'native';
/**
 * A registration access token (RFC 7592) was issued to the client, replacing any earlier one. Only
 * its SHA-256 hash is kept; it changes no setting of the client.
 */
export type RegistrationAccessTokenIssued = Event<
  'RegistrationAccessTokenIssued',
  WithClientId<Registration>
>;

/** Every fact that can happen to an authorization code client. */
export type ClientEvent =
  | ClientCreated
  | ClientRenamed
  | TokenLifetimeChanged
  | RedirectUrlAdded
  | RedirectUrlRemoved
  | LogoutRedirectUrlAdded
  | LogoutRedirectUrlRemoved
  | CorsOriginAdded
  | CorsOriginRemoved
  | ClientEnabled
  | ClientDisabled
  | ClientUriChanged
  | LogoUriChanged
  | TagAdded
  | TagRemoved
  | ClientDeleted
  | RegistrationAccessTokenIssued;

/** The event type names, for filters and for telling our events from others. */
export const CLIENT_EVENT_TYPES = [
  'ClientCreated',
  'ClientRenamed',
  'TokenLifetimeChanged',
  'RedirectUrlAdded',
  'RedirectUrlRemoved',
  'LogoutRedirectUrlAdded',
  'LogoutRedirectUrlRemoved',
  'CorsOriginAdded',
  'CorsOriginRemoved',
  'ClientEnabled',
  'ClientDisabled',
  'ClientUriChanged',
  'LogoUriChanged',
  'TagAdded',
  'TagRemoved',
  'ClientDeleted',
  'RegistrationAccessTokenIssued',
] as const satisfies readonly ClientEvent['type'][];

/** True when the client exists, is not deleted, and belongs to the tenant: all a tenant may see. */
export const isVisibleTo = (state: ClientState, tenantId: string): state is Extract<ClientState, { status: 'active' }> =>
  state.status === 'active' && state.client.tenantId === tenantId;

/** The state of a client no event has touched. */
export const initialState: ClientState = { status: 'absent' };

const withItem = (list: string[], item: string): string[] => (list.includes(item) ? list : [...list, item]);
const withoutItem = (list: string[], item: string): string[] => list.filter((value) => value !== item);

/**
 * `list` without `url`, or when it does not hold `url` as written, without the values whose
 * normal form `url` is: a removal decided on the normal forms still removes a value recorded
 * verbatim before registration stored normal forms (and never did anything else before, as a
 * removal was only ever recorded for a value held exactly).
 */
const withoutUrl = (list: string[], url: string): string[] => {
  if (list.includes(url)) return withoutItem(list, url);
  const normal = normalUrl(url);
  return list.filter((value) => normalUrl(value) !== normal);
};

const normalUrls = (urls: readonly string[]): string[] => [...new Set(urls.map(normalUrl))];

/**
 * The event with its redirect and logout redirect URLs in RFC 3986 §6.2.2 normal form, which is
 * how registration stores them now; events recorded before keep their values in the store.
 */
export const withNormalUrls = (event: ClientEvent): ClientEvent => {
  switch (event.type) {
    case 'ClientCreated': {
      const { allowedRedirectUrls, allowedLogoutRedirectUrls } = event.data;
      return {
        ...event,
        data: { ...event.data, allowedRedirectUrls: normalUrls(allowedRedirectUrls), allowedLogoutRedirectUrls: normalUrls(allowedLogoutRedirectUrls) },
      };
    }
    case 'RedirectUrlAdded':
    case 'RedirectUrlRemoved':
    case 'LogoutRedirectUrlAdded':
    case 'LogoutRedirectUrlRemoved':
      return { ...event, data: { ...event.data, url: normalUrl(event.data.url) } };
    default:
      return event;
  }
};

/**
 * Applies one event to the state with every value as it was recorded; events it does not know
 * leave the state unchanged. What the audit trail folds: its entries, hashed into signed heads,
 * must show what each event recorded. A client is created once, from nothing: after
 * ClientDeleted it stays deleted whatever follows.
 */
export const evolveAsRecorded = (state: ClientState, event: ClientEvent): ClientState => {
  if (state.status === 'absent') {
    if (event.type !== 'ClientCreated') return state;
    const { clientId, ...settings } = event.data;
    return { status: 'active', client: { id: clientId, ...settings } };
  }
  if (state.status !== 'active') return state;
  const change = (patch: Partial<Client>): ClientState => ({ ...state, client: { ...state.client, ...patch } });
  const { client } = state;
  switch (event.type) {
    case 'ClientRenamed':
      return change({ name: event.data.name });
    case 'TokenLifetimeChanged':
      return change({ tokenLifetime: event.data.seconds });
    case 'RedirectUrlAdded':
      return change({ allowedRedirectUrls: withItem(client.allowedRedirectUrls, event.data.url) });
    case 'RedirectUrlRemoved':
      return change({ allowedRedirectUrls: withoutUrl(client.allowedRedirectUrls, event.data.url) });
    case 'LogoutRedirectUrlAdded':
      return change({ allowedLogoutRedirectUrls: withItem(client.allowedLogoutRedirectUrls, event.data.url) });
    case 'LogoutRedirectUrlRemoved':
      return change({ allowedLogoutRedirectUrls: withoutUrl(client.allowedLogoutRedirectUrls, event.data.url) });
    case 'CorsOriginAdded':
      return change({ allowedCorsOrigins: withItem(client.allowedCorsOrigins, event.data.origin) });
    case 'CorsOriginRemoved':
      return change({ allowedCorsOrigins: withoutItem(client.allowedCorsOrigins, event.data.origin) });
    case 'ClientEnabled':
      return change({ enabled: true });
    case 'ClientDisabled':
      return change({ enabled: false });
    case 'ClientUriChanged':
      return change({ clientUri: event.data.clientUri });
    case 'LogoUriChanged':
      return change({ logoUri: event.data.logoUri });
    case 'TagAdded':
      return change({ tags: withItem(client.tags, event.data.tag) });
    case 'TagRemoved':
      return change({ tags: withoutItem(client.tags, event.data.tag) });
    case 'ClientDeleted':
      return { status: 'deleted', client };
    case 'RegistrationAccessTokenIssued':
      return { status: 'active', client, registration: { tokenHash: event.data.tokenHash, applicationType: event.data.applicationType } };
    default:
      return state;
  }
};

/**
 * Applies one event to the state, its redirect and logout redirect URLs read in normal form (see
 * {@link withNormalUrls}): the state the decider decides on and the client list shows. Events it
 * does not know leave the state unchanged; after ClientDeleted the client stays deleted.
 */
export const evolve = (state: ClientState, event: ClientEvent): ClientState => evolveAsRecorded(state, withNormalUrls(event));

/** Folds events over the initial state. */
export const evolveAll = (events: readonly ClientEvent[], from: ClientState = initialState): ClientState =>
  events.reduce(evolve, from);

/** Every client stream's name starts with this. */
export const CLIENT_STREAM_PREFIX = 'authorizationCodeClient-';

/** The stream that holds one client's events. */
export const clientStreamId = (clientId: string): string => `${CLIENT_STREAM_PREFIX}${clientId}`;
