import { type ClientEvent, LIMITS, decide, evolve, evolveAll, prepareCommand } from '../../../src/domain/client';
import { NotFoundError } from '../../../src/errors';
import { given } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, OTHER_CLIENT_ID, OTHER_TENANT, change, clientCreated, clientDeleted, redirectUrls } from './clientFixtures';

const clientId = CLIENT_ID;
const A = 'https://shop.example.com/a';
const B = 'https://shop.example.com/b';

/** Version 1: the client as created; versions 2 to 9: one change of each kind. */
const history: ClientEvent[] = [
  clientCreated({ allowedRedirectUrls: [CALLBACK, A], tags: ['prod'], allowedCorsOrigins: ['https://api.example.com'] }),
  { type: 'ClientRenamed', data: { clientId, name: 'Shop front' } },
  { type: 'TokenLifetimeChanged', data: { clientId, seconds: 900 } },
  { type: 'RedirectUrlAdded', data: { clientId, url: B } },
  { type: 'RedirectUrlRemoved', data: { clientId, url: A } },
  { type: 'ClientDisabled', data: { clientId } },
  { type: 'LogoutRedirectUrlAdded', data: { clientId, url: 'https://shop.example.com/bye' } },
  { type: 'CorsOriginRemoved', data: { clientId, origin: 'https://api.example.com' } },
  { type: 'ClientUriChanged', data: { clientId, clientUri: 'https://shop.example.com' } },
  { type: 'TagAdded', data: { clientId, tag: 'eu' } },
];

const revert = (toVersion: number, about: { clientId?: string; tenantId?: string } = {}) => change('RevertClient', { toVersion }, about);

describe('RevertClient', () => {
  it('gives every setting back its value at toVersion, one ordinary event per change', () => {
    const after = given(history)
      .when(revert(1))
      .then([
        { type: 'ClientRenamed', data: { clientId, name: 'Shop' } },
        { type: 'TokenLifetimeChanged', data: { clientId, seconds: 3600 } },
        { type: 'ClientEnabled', data: { clientId } },
        { type: 'ClientUriChanged', data: { clientId, clientUri: null } },
        { type: 'RedirectUrlRemoved', data: { clientId, url: B } },
        { type: 'RedirectUrlAdded', data: { clientId, url: A } },
        { type: 'LogoutRedirectUrlRemoved', data: { clientId, url: 'https://shop.example.com/bye' } },
        { type: 'CorsOriginAdded', data: { clientId, origin: 'https://api.example.com' } },
        { type: 'TagRemoved', data: { clientId, tag: 'eu' } },
      ]);
    expect(after).toEqual(evolveAll(history.slice(0, 1)));
  });

  it('changes only what differs from toVersion', () => {
    given(history)
      .when(revert(8))
      .then([{ type: 'ClientUriChanged', data: { clientId, clientUri: null } }, { type: 'TagRemoved', data: { clientId, tag: 'eu' } }]);
  });

  it('records nothing when the client already is as it was (its current version, or a later change undone by hand)', () => {
    given(history).when(revert(history.length)).thenNothingChanges();
    const undone: ClientEvent[] = [...history, { type: 'TagRemoved', data: { clientId, tag: 'eu' } }];
    given(undone).when(revert(history.length - 1)).thenNothingChanges();
  });

  it('compares lists as sets: the order of entries is not a setting', () => {
    const reordered: ClientEvent[] = [
      clientCreated({ allowedRedirectUrls: [A, B] }),
      { type: 'RedirectUrlRemoved', data: { clientId, url: A } },
      { type: 'RedirectUrlAdded', data: { clientId, url: A } },
    ];
    given(reordered).when(revert(1)).thenNothingChanges();
  });

  it('adds a redirect URL before it removes the last one, so the client always has one', () => {
    const swapped: ClientEvent[] = [
      clientCreated({ allowedRedirectUrls: [A] }),
      { type: 'RedirectUrlAdded', data: { clientId, url: B } },
      { type: 'RedirectUrlRemoved', data: { clientId, url: A } },
    ];
    given(swapped)
      .when(revert(1))
      .then([
        { type: 'RedirectUrlAdded', data: { clientId, url: A } },
        { type: 'RedirectUrlRemoved', data: { clientId, url: B } },
      ]);
  });

  it('swaps a full list without passing its limit or emptying it at any step', () => {
    const ten = redirectUrls(10, 'old.example.com');
    const others = redirectUrls(10, 'new.example.com');
    const replaced: ClientEvent[] = [
      clientCreated({ allowedRedirectUrls: ten }),
      ...ten.map((url): ClientEvent => ({ type: 'RedirectUrlRemoved', data: { clientId, url } })),
      ...others.map((url): ClientEvent => ({ type: 'RedirectUrlAdded', data: { clientId, url } })),
    ];
    const events = decide(revert(1), evolveAll(replaced), replaced);
    expect(events).toHaveLength(20);
    let state = evolveAll(replaced);
    for (const event of events) {
      state = evolve(state, event);
      if (state.status !== 'active') throw new Error('the client is gone');
      expect(state.client.allowedRedirectUrls.length).toBeGreaterThanOrEqual(1);
      expect(state.client.allowedRedirectUrls.length).toBeLessThanOrEqual(LIMITS.redirectUrls);
    }
    expect(state).toEqual(evolveAll(replaced.slice(0, 1)));
  });

  it('refuses a toVersion that is not a version the client has had', () => {
    for (const toVersion of [0, -1, 1.5, Number.NaN, history.length + 1]) {
      given(history).when(revert(toVersion)).thenFails({ field: 'toVersion', rule: 'version' });
    }
  });

  it('refuses to bring back a value today’s rules refuse, naming each at its setting', () => {
    const legacy: ClientEvent[] = [
      clientCreated({ name: 'Legacy', allowedRedirectUrls: [CALLBACK, 'http://legacy.example.com/cb'], tokenLifetime: 30, tags: ['bad tag'] }),
      { type: 'RedirectUrlRemoved', data: { clientId, url: 'http://legacy.example.com/cb' } },
      { type: 'TokenLifetimeChanged', data: { clientId, seconds: 600 } },
      { type: 'TagRemoved', data: { clientId, tag: 'bad tag' } },
      { type: 'ClientRenamed', data: { clientId, name: 'Modern' } },
    ];
    given(legacy)
      .when(revert(1))
      .thenFails([
        { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 },
        { field: 'tokenLifetime', rule: 'tokenLifetime' },
        { field: 'tags', rule: 'tag', index: 0 },
      ]);
    const error = given(legacy).when(revert(3)).thenFails([{ field: 'tags', rule: 'tag', index: 0 }]);
    expect(error.message).toMatch(/^Version 3 cannot be brought back: Tag /);
    given(legacy).when(revert(4)).then([{ type: 'ClientRenamed', data: { clientId, name: 'Legacy' } }]);
  });

  it('refuses a list longer than today’s limit when the revert makes it longer, and not for what it leaves as it is', () => {
    const longer: ClientEvent[] = [
      clientCreated({ allowedLogoutRedirectUrls: redirectUrls(12, 'bye.example.com') }),
      { type: 'LogoutRedirectUrlRemoved', data: { clientId, url: 'https://bye.example.com/cb0' } },
      { type: 'ClientRenamed', data: { clientId, name: 'Renamed' } },
    ];
    given(longer).when(revert(1)).thenFails({ field: 'allowedLogoutRedirectUrls', rule: 'tooMany' });
    given(longer).when(revert(2)).then([{ type: 'ClientRenamed', data: { clientId, name: 'Shop' } }]);
    given(longer).when(revert(3)).thenNothingChanges();
  });

  it('brings a value back as today’s rules store it', () => {
    const older: ClientEvent[] = [
      clientCreated({ allowedCorsOrigins: ['HTTPS://API.Example.com:443'] }),
      { type: 'CorsOriginRemoved', data: { clientId, origin: 'HTTPS://API.Example.com:443' } },
    ];
    given(older)
      .when(revert(1))
      .then([{ type: 'CorsOriginAdded', data: { clientId, origin: 'https://api.example.com' } }]);
  });

  it('answers NOT_FOUND for a client that is absent, deleted, another tenant’s or not the stream’s', () => {
    given([]).when(revert(1)).thenFails(NotFoundError);
    given([...history, clientDeleted()]).when(revert(1)).thenFails(NotFoundError);
    given([...history, clientDeleted()]).when(revert(99)).thenFails(NotFoundError);
    given(history).when(revert(1, { tenantId: OTHER_TENANT })).thenFails(NotFoundError);
    given(history).when(revert(1, { clientId: OTHER_CLIENT_ID })).thenFails(NotFoundError);
  });

  it('reads its input before anything is loaded: the client id, then toVersion, then the reason', () => {
    const prepared = prepareCommand({ ...revert(0, { clientId: 'nope' }), reason: ' ' });
    expect(prepared.ok ? [] : prepared.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['clientId:uuid', 'toVersion:version', 'reason:reason']);
  });

  it('has no version to go back to without the history (an empty one)', () => {
    const prepared = prepareCommand(revert(1));
    expect(prepared.ok).toBe(true);
    if (prepared.ok) expect(() => prepared.value.decide(evolveAll(history))).toThrow(/from 1 to 0/);
  });
});
