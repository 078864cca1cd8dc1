import { given } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, change, clientCreated, corsOrigins, redirectUrls, tags } from './clientFixtures';

const clientId = CLIENT_ID;
const A = 'https://shop.example.com/a';
const B = 'https://shop.example.com/b';
const C = 'https://shop.example.com/c';
const D = 'https://shop.example.com/d';

const full = clientCreated({
  name: 'Shop',
  enabled: true,
  tokenLifetime: 3600,
  allowedRedirectUrls: [A, B, C],
  allowedLogoutRedirectUrls: ['https://shop.example.com/bye'],
  allowedCorsOrigins: ['https://api.example.com', 'http://localhost:3000'],
  clientUri: 'https://shop.example.com',
  logoUri: 'https://cdn.example.com/logo.png',
  tags: ['prod', 'team:shop'],
});

describe('UpdateClient', () => {
  it('changes only the fields given', () => {
    given([full])
      .when(change('UpdateClient', { name: 'Shop front' }))
      .then([{ type: 'ClientRenamed', data: { clientId, name: 'Shop front' } }]);
  });

  it('changes nothing when no field is given', () => {
    given([full]).when(change('UpdateClient', {})).thenNothingChanges();
  });

  it('changes nothing when every field given already has that value, however written', () => {
    given([full])
      .when(
        change('UpdateClient', {
          name: ' Shop ',
          enabled: true,
          tokenLifetime: 3600,
          allowedRedirectUrls: [C, ` ${A}`, B, A],
          allowedLogoutRedirectUrls: ['https://shop.example.com/bye'],
          allowedCorsOrigins: ['HTTP://LOCALHOST:3000/', 'https://api.example.com:443'],
          clientUri: 'https://shop.example.com',
          logoUri: ' https://cdn.example.com/logo.png ',
          tags: ['team:shop', 'prod'],
        }),
      )
      .thenNothingChanges();
  });

  it('records one event per change, every field at once', () => {
    given([full])
      .when(
        change('UpdateClient', {
          name: 'Shop front',
          enabled: false,
          tokenLifetime: 900,
          allowedRedirectUrls: [C, D],
          allowedLogoutRedirectUrls: [],
          allowedCorsOrigins: ['https://api.example.com', 'https://admin.example.com'],
          clientUri: 'https://www.example.com',
          logoUri: null,
          tags: ['prod', 'eu'],
        }),
      )
      .then([
        { type: 'ClientRenamed', data: { clientId, name: 'Shop front' } },
        { type: 'TokenLifetimeChanged', data: { clientId, seconds: 900 } },
        { type: 'ClientDisabled', data: { clientId } },
        { type: 'RedirectUrlRemoved', data: { clientId, url: A } },
        { type: 'RedirectUrlRemoved', data: { clientId, url: B } },
        { type: 'RedirectUrlAdded', data: { clientId, url: D } },
        { type: 'LogoutRedirectUrlRemoved', data: { clientId, url: 'https://shop.example.com/bye' } },
        { type: 'CorsOriginRemoved', data: { clientId, origin: 'http://localhost:3000' } },
        { type: 'CorsOriginAdded', data: { clientId, origin: 'https://admin.example.com' } },
        { type: 'ClientUriChanged', data: { clientId, clientUri: 'https://www.example.com' } },
        { type: 'LogoUriChanged', data: { clientId, logoUri: null } },
        { type: 'TagRemoved', data: { clientId, tag: 'team:shop' } },
        { type: 'TagAdded', data: { clientId, tag: 'eu' } },
      ]);
  });

  it('enables a disabled client', () => {
    given([clientCreated({ enabled: false })])
      .when(change('UpdateClient', { enabled: true }))
      .then([{ type: 'ClientEnabled', data: { clientId } }]);
  });

  describe('lists, replaced as sets', () => {
    it('records the removals, then the additions', () => {
      const state = given([full])
        .when(change('UpdateClient', { allowedRedirectUrls: [D, C] }))
        .then([
          { type: 'RedirectUrlRemoved', data: { clientId, url: A } },
          { type: 'RedirectUrlRemoved', data: { clientId, url: B } },
          { type: 'RedirectUrlAdded', data: { clientId, url: D } },
        ]);
      expect(state).toMatchObject({ client: { allowedRedirectUrls: [C, D] } });
    });

    it('stores CORS origins in serialized form and compares them so', () => {
      given([full])
        .when(change('UpdateClient', { allowedCorsOrigins: ['HTTPS://API.example.com/', 'HTTPS://New.Example.com:443'] }))
        .then([
          { type: 'CorsOriginRemoved', data: { clientId, origin: 'http://localhost:3000' } },
          { type: 'CorsOriginAdded', data: { clientId, origin: 'https://new.example.com' } },
        ]);
    });

    it('swaps all 10 redirect URLs for 10 others: only the result is held to the limit', () => {
      const before = redirectUrls(10, 'old.example.com');
      const after = redirectUrls(10, 'new.example.com');
      const state = given([clientCreated({ allowedRedirectUrls: before })])
        .when(change('UpdateClient', { allowedRedirectUrls: after }))
        .then([
          ...before.map((url) => ({ type: 'RedirectUrlRemoved' as const, data: { clientId, url } })),
          ...after.map((url) => ({ type: 'RedirectUrlAdded' as const, data: { clientId, url } })),
        ]);
      expect(state).toMatchObject({ client: { allowedRedirectUrls: after } });
    });

    it('refuses an empty redirect URL list with lastRedirectUrl', () => {
      given([full]).when(change('UpdateClient', { allowedRedirectUrls: [] })).thenFails({ field: 'allowedRedirectUrls', rule: 'lastRedirectUrl' });
    });

    it('clears the logout URLs and CORS origins with empty lists', () => {
      given([full])
        .when(change('UpdateClient', { allowedLogoutRedirectUrls: [], allowedCorsOrigins: [], tags: [] }))
        .then([
          { type: 'LogoutRedirectUrlRemoved', data: { clientId, url: 'https://shop.example.com/bye' } },
          { type: 'CorsOriginRemoved', data: { clientId, origin: 'https://api.example.com' } },
          { type: 'CorsOriginRemoved', data: { clientId, origin: 'http://localhost:3000' } },
          { type: 'TagRemoved', data: { clientId, tag: 'prod' } },
          { type: 'TagRemoved', data: { clientId, tag: 'team:shop' } },
        ]);
    });

    it('refuses 11 logout URLs for a client that has 10, with tooMany', () => {
      given([clientCreated({ allowedLogoutRedirectUrls: redirectUrls(10, 'bye.example.com') })])
        .when(change('UpdateClient', { allowedLogoutRedirectUrls: redirectUrls(11, 'bye.example.com') }))
        .thenFails({ field: 'allowedLogoutRedirectUrls', rule: 'tooMany' });
    });

    it.each([
      ['allowedRedirectUrls', redirectUrls(11)],
      ['allowedCorsOrigins', corsOrigins(11)],
      ['tags', tags(21)],
    ] as const)('refuses too many %s with tooMany', (field, values) => {
      given([full])
        .when(change('UpdateClient', { [field]: values }))
        .thenFails({ field, rule: 'tooMany' });
    });

    it('reports each bad entry with its index', () => {
      given([full])
        .when(change('UpdateClient', { allowedRedirectUrls: [A, 'https://x.example.com/#frag', 'ftp://x.example.com'], tags: ['ok', 'not ok'] }))
        .thenFails([
          { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 },
          { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 2 },
          { field: 'tags', rule: 'tag', index: 1 },
        ]);
    });
  });

  describe('client URI and logo URI', () => {
    it('clears the client URI with null', () => {
      const state = given([full])
        .when(change('UpdateClient', { clientUri: null }))
        .then([{ type: 'ClientUriChanged', data: { clientId, clientUri: null } }]);
      expect(state).toMatchObject({ client: { clientUri: null, logoUri: 'https://cdn.example.com/logo.png' } });
    });

    it('changes nothing when clearing a URI that is not set', () => {
      given([clientCreated({ clientUri: null })]).when(change('UpdateClient', { clientUri: null })).thenNothingChanges();
    });

    it('sets a URI, trimmed', () => {
      given([clientCreated()])
        .when(change('UpdateClient', { logoUri: ' https://cdn.example.com/new.png ' }))
        .then([{ type: 'LogoUriChanged', data: { clientId, logoUri: 'https://cdn.example.com/new.png' } }]);
    });

    it('refuses a URI that is not absolute https', () => {
      given([full]).when(change('UpdateClient', { clientUri: 'shop.example.com' })).thenFails({ field: 'clientUri', rule: 'uri' });
    });
  });

  it('reports every broken rule at once and records nothing, even for the valid fields', () => {
    given([full])
      .when(
        change('UpdateClient', {
          name: 'Fine name',
          tokenLifetime: 30,
          allowedCorsOrigins: ['https://ok.example.com', 'https://bad.example.com/x'],
          allowedRedirectUrls: [],
        }),
      )
      .thenFails([
        { field: 'tokenLifetime', rule: 'tokenLifetime' },
        { field: 'allowedCorsOrigins', rule: 'corsOrigin', index: 1 },
        { field: 'allowedRedirectUrls', rule: 'lastRedirectUrl' },
      ]);
  });

  it('keeps the redirect URL a client was created with when only other fields change', () => {
    const state = given([clientCreated()])
      .when(change('UpdateClient', { tags: ['eu'] }))
      .then([{ type: 'TagAdded', data: { clientId, tag: 'eu' } }]);
    expect(state).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK], tags: ['eu'] } });
  });
});
