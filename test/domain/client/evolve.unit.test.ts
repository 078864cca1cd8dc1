import { CLIENT_EVENT_TYPES, type ClientEvent, type ClientState, evolve, evolveAll, initialState } from '../../../src/domain/client';
import { deepFreeze } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, OTHER_TENANT, clientCreated, clientDeleted } from './clientFixtures';

const clientId = CLIENT_ID;
const created = clientCreated({ allowedCorsOrigins: ['https://api.example.com'], tags: ['prod'] });
const active = evolve(initialState, created);

/** One event of every type, each of which changes the client the ones before it build. */
const everyEvent: ClientEvent[] = [
  clientCreated({ name: 'Another', tenantId: OTHER_TENANT, allowedCorsOrigins: ['https://api.example.com'], tags: ['prod'] }),
  { type: 'ClientRenamed', data: { clientId, name: 'Renamed' } },
  { type: 'TokenLifetimeChanged', data: { clientId, seconds: 60 } },
  { type: 'RedirectUrlAdded', data: { clientId, url: 'https://shop.example.com/two' } },
  { type: 'RedirectUrlRemoved', data: { clientId, url: CALLBACK } },
  { type: 'LogoutRedirectUrlAdded', data: { clientId, url: 'https://shop.example.com/bye' } },
  { type: 'LogoutRedirectUrlRemoved', data: { clientId, url: 'https://shop.example.com/bye' } },
  { type: 'CorsOriginAdded', data: { clientId, origin: 'https://admin.example.com' } },
  { type: 'CorsOriginRemoved', data: { clientId, origin: 'https://api.example.com' } },
  { type: 'ClientDisabled', data: { clientId } },
  { type: 'ClientEnabled', data: { clientId } },
  { type: 'ClientUriChanged', data: { clientId, clientUri: 'https://shop.example.com' } },
  { type: 'LogoUriChanged', data: { clientId, logoUri: 'https://cdn.example.com/logo.png' } },
  { type: 'TagAdded', data: { clientId, tag: 'eu' } },
  { type: 'TagRemoved', data: { clientId, tag: 'prod' } },
  { type: 'RegistrationAccessTokenIssued', data: { clientId, tokenHash: 'ab'.repeat(32), applicationType: 'native' } },
  clientDeleted(),
];

const unknown = { type: 'ClientArchived', data: { clientId } } as unknown as ClientEvent;

describe('evolve', () => {
  it('is tested with one event of every type there is', () => {
    expect(everyEvent.map((event) => event.type).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
  });

  it('starts absent', () => {
    expect(initialState).toEqual({ status: 'absent' });
  });

  it('makes a client of ClientCreated, its id taken from clientId', () => {
    expect(active).toEqual({
      status: 'active',
      client: {
        id: clientId,
        tenantId: 'tenant-a',
        name: 'Shop',
        enabled: true,
        tokenLifetime: 3600,
        allowedRedirectUrls: [CALLBACK],
        allowedLogoutRedirectUrls: [],
        allowedCorsOrigins: ['https://api.example.com'],
        clientUri: null,
        logoUri: null,
        tags: ['prod'],
      },
    });
  });

  it.each([
    [{ type: 'ClientRenamed', data: { clientId, name: 'Renamed' } }, { name: 'Renamed' }],
    [{ type: 'TokenLifetimeChanged', data: { clientId, seconds: 60 } }, { tokenLifetime: 60 }],
    [{ type: 'RedirectUrlAdded', data: { clientId, url: 'https://shop.example.com/two' } }, { allowedRedirectUrls: [CALLBACK, 'https://shop.example.com/two'] }],
    [{ type: 'RedirectUrlRemoved', data: { clientId, url: CALLBACK } }, { allowedRedirectUrls: [] }],
    [{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: 'https://shop.example.com/bye' } }, { allowedLogoutRedirectUrls: ['https://shop.example.com/bye'] }],
    [{ type: 'CorsOriginAdded', data: { clientId, origin: 'https://admin.example.com' } }, { allowedCorsOrigins: ['https://api.example.com', 'https://admin.example.com'] }],
    [{ type: 'CorsOriginRemoved', data: { clientId, origin: 'https://api.example.com' } }, { allowedCorsOrigins: [] }],
    [{ type: 'ClientDisabled', data: { clientId } }, { enabled: false }],
    [{ type: 'ClientUriChanged', data: { clientId, clientUri: 'https://shop.example.com' } }, { clientUri: 'https://shop.example.com' }],
    [{ type: 'LogoUriChanged', data: { clientId, logoUri: 'https://cdn.example.com/logo.png' } }, { logoUri: 'https://cdn.example.com/logo.png' }],
    [{ type: 'TagAdded', data: { clientId, tag: 'eu' } }, { tags: ['prod', 'eu'] }],
    [{ type: 'TagRemoved', data: { clientId, tag: 'prod' } }, { tags: [] }],
  ] as [ClientEvent, object][])('applies %j', (event, patch) => {
    const state = evolve(deepFreeze(structuredClone(active)), event);
    expect(state).toEqual({ status: 'active', client: { ...(active as { client: object }).client, ...patch } });
  });

  it('never lists a value twice when it is added again', () => {
    const state = evolveAll(
      [created, { type: 'TagAdded', data: { clientId, tag: 'prod' } }, { type: 'CorsOriginAdded', data: { clientId, origin: 'https://api.example.com' } }],
    );
    expect(state).toMatchObject({ client: { tags: ['prod'], allowedCorsOrigins: ['https://api.example.com'] } });
  });

  it('enables a disabled client again', () => {
    expect(evolveAll([created, { type: 'ClientDisabled', data: { clientId } }, { type: 'ClientEnabled', data: { clientId } }])).toEqual(active);
  });

  it('deletes the client, keeping what it was', () => {
    expect(evolve(active, clientDeleted())).toEqual({ status: 'deleted', client: (active as { client: object }).client });
  });

  it.each<[string, ClientState]>([
    ['absent', initialState],
    ['active', active],
    ['deleted', evolve(active, clientDeleted())],
  ])('leaves a%s state as it is for an event type it does not know', (_status, state) => {
    expect(evolve(state, unknown)).toBe(state);
  });

  it.each(everyEvent.filter((event) => event.type !== 'ClientCreated').map((event) => [event.type, event] as const))(
    'leaves an absent client absent on %s',
    (_type, event) => {
      expect(evolve(initialState, event)).toEqual(initialState);
    },
  );

  it.each(everyEvent.map((event) => [event.type, event] as const))('leaves a deleted client deleted, as it was, on %s', (_type, event) => {
    const deleted = evolve(active, clientDeleted());
    expect(evolve(deleted, event)).toEqual(deleted);
  });

  it('does not let a second ClientCreated overwrite a client: a stream holds one client, created once', () => {
    expect(evolve(active, clientCreated({ name: 'Another', tenantId: OTHER_TENANT }))).toEqual(active);
  });

  it('changes the client at every step of the list above, applied in order (so the checks on it are not vacuous)', () => {
    everyEvent.reduce((state, event) => {
      const next = evolve(state, event);
      expect({ after: event.type, state: next }).not.toEqual({ after: event.type, state });
      return next;
    }, initialState);
  });

  it('does not change the state it is given', () => {
    const frozen = deepFreeze(structuredClone(active));
    expect(() => evolveAll(everyEvent.slice(1), frozen)).not.toThrow();
    expect(frozen).toEqual(active);
  });
});
