import { ConflictError } from '../../../src/errors';
import { given } from '../../testing/deciderSpecification';
import {
  CALLBACK,
  CLIENT_ID,
  OTHER_TENANT,
  addClient,
  clientCreated,
  clientDeleted,
  corsOrigins,
  redirectUrls,
  tags,
} from './clientFixtures';

describe('AddClient', () => {
  it('registers a client with the defaults: enabled, 3600 s tokens, empty lists, no URIs', () => {
    given([])
      .when({ type: 'AddClient', tenantId: 'tenant-a', data: { id: CLIENT_ID, name: 'Shop', allowedRedirectUrls: [CALLBACK] } })
      .then([
        {
          type: 'ClientCreated',
          data: {
            clientId: CLIENT_ID,
            tenantId: 'tenant-a',
            name: 'Shop',
            enabled: true,
            tokenLifetime: 3600,
            allowedRedirectUrls: [CALLBACK],
            allowedLogoutRedirectUrls: [],
            allowedCorsOrigins: [],
            clientUri: null,
            logoUri: null,
            tags: [],
          },
        },
      ]);
  });

  it('records every setting given, each in its stored form', () => {
    const state = given([])
      .when(
        addClient({
          name: '  Shop front  ',
          enabled: false,
          tokenLifetime: 60,
          allowedRedirectUrls: [' https://shop.example.com/Callback ', 'com.example.shop:/callback'],
          allowedLogoutRedirectUrls: ['https://shop.example.com/bye'],
          allowedCorsOrigins: ['https://api.example.com'],
          clientUri: ' https://shop.example.com ',
          logoUri: 'https://cdn.example.com/logo.png',
          tags: [' team:shop ', 'prod'],
        }),
      )
      .then([
        clientCreated({
          name: 'Shop front',
          enabled: false,
          tokenLifetime: 60,
          allowedRedirectUrls: ['https://shop.example.com/Callback', 'com.example.shop:/callback'],
          allowedLogoutRedirectUrls: ['https://shop.example.com/bye'],
          allowedCorsOrigins: ['https://api.example.com'],
          clientUri: 'https://shop.example.com',
          logoUri: 'https://cdn.example.com/logo.png',
          tags: ['team:shop', 'prod'],
        }),
      ]);
    expect(state).toEqual({ status: 'active', client: expect.objectContaining({ id: CLIENT_ID, name: 'Shop front' }) });
  });

  it('belongs to the tenant that gave the command', () => {
    given([])
      .when(addClient({}, OTHER_TENANT))
      .then([clientCreated({ tenantId: OTHER_TENANT })]);
  });

  describe('client id', () => {
    it('uses the id the command carries: making one up is the caller’s job, outside the domain', () => {
      const id = '0a6e4a3c-5b1f-4c47-8a3e-9a1e2f3b4c5d';
      given([]).when(addClient({ id })).then([clientCreated({ clientId: id })]);
    });

    it('refuses a missing id rather than generating one', () => {
      given([]).when(addClient({ id: '' })).thenFails({ field: 'id', rule: 'uuid' });
    });

    it('stores the id in lower case, trimmed', () => {
      given([])
        .when(addClient({ id: ' 3F2B8C9E-1D4A-4E6B-9C7D-2A5F8E1B0C3D ' }))
        .then([clientCreated({ clientId: '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d' })]);
    });

    it.each(['not-a-uuid', '3f2b8c9e1d4a4e6b9c7d2a5f8e1b0c3d', '{3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d}', '00000000-0000-0000-0000-000000000000'])(
      'refuses %j with rule uuid on field id',
      (id) => {
        given([]).when(addClient({ id })).thenFails({ field: 'id', rule: 'uuid' });
      },
    );

    it('answers CONFLICT when the stream already holds a client', () => {
      given([clientCreated()]).when(addClient({ name: 'Another' })).thenFails(ConflictError);
    });

    it('answers CONFLICT for a deleted client: ids are never reused', () => {
      given([clientCreated(), clientDeleted()]).when(addClient()).thenFails(ConflictError);
    });

    it('answers CONFLICT even when the existing client is another tenant’s: ids are unique across tenants', () => {
      given([clientCreated({ tenantId: OTHER_TENANT })]).when(addClient()).thenFails(ConflictError);
    });
  });

  it('reports every broken rule at once, with fields and indexes', () => {
    given([])
      .when(
        addClient({
          id: 'nope',
          name: ' \t ',
          allowedRedirectUrls: ['https://shop.example.com/cb', 'http://shop.example.com/cb'],
          allowedLogoutRedirectUrls: [...redirectUrls(10), 'javascript:alert(1)'],
          allowedCorsOrigins: ['https://ok.example.com', 'https://bad.example.com/path'],
          tokenLifetime: 59,
          clientUri: 'ftp://shop.example.com',
          tags: [...tags(20), 'has space'],
        }),
      )
      .thenFails([
        { field: 'id', rule: 'uuid' },
        { field: 'name', rule: 'name' },
        { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 },
        { field: 'allowedLogoutRedirectUrls', rule: 'redirectUrl', index: 10 },
        { field: 'allowedLogoutRedirectUrls', rule: 'tooMany' },
        { field: 'allowedCorsOrigins', rule: 'corsOrigin', index: 1 },
        { field: 'tokenLifetime', rule: 'tokenLifetime' },
        { field: 'clientUri', rule: 'uri' },
        { field: 'tags', rule: 'tag', index: 20 },
        { field: 'tags', rule: 'tooMany' },
      ]);
  });

  it('checks the input before the stream: a bad command on a taken id is BAD_USER_INPUT', () => {
    given([clientCreated()]).when(addClient({ tokenLifetime: 3601 })).thenFails({ field: 'tokenLifetime', rule: 'tokenLifetime' });
  });

  describe('redirect URLs', () => {
    it('needs at least one', () => {
      given([]).when(addClient({ allowedRedirectUrls: [] })).thenFails({ field: 'allowedRedirectUrls', rule: 'lastRedirectUrl' });
    });

    it('accepts 10', () => {
      given([])
        .when(addClient({ allowedRedirectUrls: redirectUrls(10) }))
        .then([clientCreated({ allowedRedirectUrls: redirectUrls(10) })]);
    });

    it('refuses 11 with tooMany on the list, without an index', () => {
      given([]).when(addClient({ allowedRedirectUrls: redirectUrls(11) })).thenFails({ field: 'allowedRedirectUrls', rule: 'tooMany' });
    });

    it('collapses duplicates (after trimming), so 11 entries naming 10 URLs are accepted', () => {
      const ten = redirectUrls(10);
      given([])
        .when(addClient({ allowedRedirectUrls: [...ten, ` ${ten[3]}\n`] }))
        .then([clientCreated({ allowedRedirectUrls: ten })]);
    });

    it('keeps URLs that differ only in case: they are matched by exact string', () => {
      given([])
        .when(addClient({ allowedRedirectUrls: ['https://a.example.com/CB', 'https://a.example.com/cb'] }))
        .then([clientCreated({ allowedRedirectUrls: ['https://a.example.com/CB', 'https://a.example.com/cb'] })]);
    });
  });

  describe('logout redirect URLs', () => {
    it('accepts 10', () => {
      given([])
        .when(addClient({ allowedLogoutRedirectUrls: redirectUrls(10, 'bye.example.com') }))
        .then([clientCreated({ allowedLogoutRedirectUrls: redirectUrls(10, 'bye.example.com') })]);
    });

    it('refuses 11 with tooMany', () => {
      given([])
        .when(addClient({ allowedLogoutRedirectUrls: redirectUrls(11, 'bye.example.com') }))
        .thenFails({ field: 'allowedLogoutRedirectUrls', rule: 'tooMany' });
    });

    it('collapses duplicates', () => {
      given([])
        .when(addClient({ allowedLogoutRedirectUrls: ['https://a.example.com/bye', ' https://a.example.com/bye'] }))
        .then([clientCreated({ allowedLogoutRedirectUrls: ['https://a.example.com/bye'] })]);
    });
  });

  describe('CORS origins', () => {
    it('stores each in its serialized form: lower-case scheme and host, no default port, no trailing slash', () => {
      given([])
        .when(addClient({ allowedCorsOrigins: ['HTTPS://App.Example.com:443/', 'http://LOCALHOST:8080/', 'https://api.example.com:8443'] }))
        .then([
          clientCreated({ allowedCorsOrigins: ['https://app.example.com', 'http://localhost:8080', 'https://api.example.com:8443'] }),
        ]);
    });

    it('collapses origins whose serialized forms are equal', () => {
      given([])
        .when(addClient({ allowedCorsOrigins: ['https://example.com', 'https://EXAMPLE.com:443', 'https://example.com/'] }))
        .then([clientCreated({ allowedCorsOrigins: ['https://example.com'] })]);
    });

    it('accepts 10 and refuses 11 with tooMany', () => {
      given([]).when(addClient({ allowedCorsOrigins: corsOrigins(10) })).then([clientCreated({ allowedCorsOrigins: corsOrigins(10) })]);
      given([]).when(addClient({ allowedCorsOrigins: corsOrigins(11) })).thenFails({ field: 'allowedCorsOrigins', rule: 'tooMany' });
    });
  });

  describe('tags', () => {
    it('accepts 20 and refuses 21 with tooMany', () => {
      given([]).when(addClient({ tags: tags(20) })).then([clientCreated({ tags: tags(20) })]);
      given([]).when(addClient({ tags: tags(21) })).thenFails({ field: 'tags', rule: 'tooMany' });
    });
  });

  it.each([
    [59, 'refused'],
    [60, 'accepted'],
    [3600, 'accepted'],
    [3601, 'refused'],
  ])('token lifetime %i is %s', (seconds, outcome) => {
    const when = given([]).when(addClient({ tokenLifetime: seconds }));
    if (outcome === 'accepted') when.then([clientCreated({ tokenLifetime: seconds })]);
    else when.thenFails({ field: 'tokenLifetime', rule: 'tokenLifetime' });
  });

  it('refuses a logo URI that is not absolute https', () => {
    given([]).when(addClient({ logoUri: 'http://cdn.example.com/logo.png' })).thenFails({ field: 'logoUri', rule: 'uri' });
  });
});
