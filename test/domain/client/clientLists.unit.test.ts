import { given } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, change, clientCreated, corsOrigins, redirectUrls } from './clientFixtures';

const clientId = CLIENT_ID;
const OTHER = 'https://shop.example.com/other';

describe('AddRedirectUrl', () => {
  it('allows one more URL, stored as given apart from trimming', () => {
    const state = given([clientCreated()])
      .when(change('AddRedirectUrl', { url: ` ${OTHER}?from=app ` }))
      .then([{ type: 'RedirectUrlAdded', data: { clientId, url: `${OTHER}?from=app` } }]);
    expect(state).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK, `${OTHER}?from=app`] } });
  });

  it('changes nothing when the URL is already allowed', () => {
    given([clientCreated()]).when(change('AddRedirectUrl', { url: ` ${CALLBACK}\t` })).thenNothingChanges();
  });

  it('adds a URL that differs only in case: matching is by exact string', () => {
    const upper = CALLBACK.replace('callback', 'CALLBACK');
    given([clientCreated()])
      .when(change('AddRedirectUrl', { url: upper }))
      .then([{ type: 'RedirectUrlAdded', data: { clientId, url: upper } }]);
  });

  it.each(['http://shop.example.com/cb', 'https://shop.example.com/cb#top', 'javascript:alert(1)', 'https://*.example.com/cb', '/cb'])(
    'refuses %j with rule redirectUrl on field url',
    (url) => {
      given([clientCreated()]).when(change('AddRedirectUrl', { url })).thenFails({ field: 'url', rule: 'redirectUrl' });
    },
  );

  it('accepts a 10th URL and refuses an 11th with tooMany on field url', () => {
    given([clientCreated({ allowedRedirectUrls: redirectUrls(9) })])
      .when(change('AddRedirectUrl', { url: OTHER }))
      .then([{ type: 'RedirectUrlAdded', data: { clientId, url: OTHER } }]);
    given([clientCreated({ allowedRedirectUrls: redirectUrls(10) })])
      .when(change('AddRedirectUrl', { url: OTHER }))
      .thenFails({ field: 'url', rule: 'tooMany' });
  });

  it('changes nothing, rather than refusing, when a client with 10 URLs is given one of them again', () => {
    given([clientCreated({ allowedRedirectUrls: redirectUrls(10) })])
      .when(change('AddRedirectUrl', { url: redirectUrls(10)[9] }))
      .thenNothingChanges();
  });
});

describe('RemoveRedirectUrl', () => {
  const two = clientCreated({ allowedRedirectUrls: [CALLBACK, OTHER] });

  it('stops allowing the URL', () => {
    const state = given([two])
      .when(change('RemoveRedirectUrl', { url: OTHER }))
      .then([{ type: 'RedirectUrlRemoved', data: { clientId, url: OTHER } }]);
    expect(state).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK] } });
  });

  it('finds the URL when written with surrounding blanks', () => {
    given([two])
      .when(change('RemoveRedirectUrl', { url: `  ${OTHER}\n` }))
      .then([{ type: 'RedirectUrlRemoved', data: { clientId, url: OTHER } }]);
  });

  it('changes nothing when the URL is not allowed', () => {
    given([two]).when(change('RemoveRedirectUrl', { url: 'https://shop.example.com/never' })).thenNothingChanges();
  });

  it('does not remove a URL that differs in case', () => {
    given([two]).when(change('RemoveRedirectUrl', { url: 'https://shop.example.com/OTHER' })).thenNothingChanges();
  });

  it('refuses a value that could never have been allowed with BAD_USER_INPUT', () => {
    given([two]).when(change('RemoveRedirectUrl', { url: 'javascript:alert(1)' })).thenFails({ field: 'url', rule: 'redirectUrl' });
  });

  it('removes a URL stored under older rules, named exactly as stored', () => {
    const legacy = 'http://legacy.example.com/cb';
    given([clientCreated({ allowedRedirectUrls: [CALLBACK, legacy] })])
      .when(change('RemoveRedirectUrl', { url: legacy }))
      .then([{ type: 'RedirectUrlRemoved', data: { clientId, url: legacy } }]);
  });

  it('refuses to remove the last URL with lastRedirectUrl on field url', () => {
    given([clientCreated({ allowedRedirectUrls: [CALLBACK] })])
      .when(change('RemoveRedirectUrl', { url: CALLBACK }))
      .thenFails({ field: 'url', rule: 'lastRedirectUrl' });
  });
});

describe('AddLogoutRedirectUrl', () => {
  const BYE = 'https://shop.example.com/bye';

  it('allows one more logout URL', () => {
    given([clientCreated()])
      .when(change('AddLogoutRedirectUrl', { url: ` ${BYE} ` }))
      .then([{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: BYE } }]);
  });

  it('changes nothing when the URL is already allowed', () => {
    given([clientCreated({ allowedLogoutRedirectUrls: [BYE] })]).when(change('AddLogoutRedirectUrl', { url: BYE })).thenNothingChanges();
  });

  it('keeps the sign-in list apart: a redirect URL is not a logout URL', () => {
    given([clientCreated()])
      .when(change('AddLogoutRedirectUrl', { url: CALLBACK }))
      .then([{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: CALLBACK } }]);
  });

  it('refuses an invalid URL with rule redirectUrl on field url', () => {
    given([clientCreated()]).when(change('AddLogoutRedirectUrl', { url: 'data:text/html,hi' })).thenFails({ field: 'url', rule: 'redirectUrl' });
  });

  it('accepts a 10th URL and refuses an 11th with tooMany on field url', () => {
    given([clientCreated({ allowedLogoutRedirectUrls: redirectUrls(9, 'bye.example.com') })])
      .when(change('AddLogoutRedirectUrl', { url: BYE }))
      .then([{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: BYE } }]);
    given([clientCreated({ allowedLogoutRedirectUrls: redirectUrls(10, 'bye.example.com') })])
      .when(change('AddLogoutRedirectUrl', { url: BYE }))
      .thenFails({ field: 'url', rule: 'tooMany' });
  });
});

describe('RemoveLogoutRedirectUrl', () => {
  const BYE = 'https://shop.example.com/bye';

  it('removes the last logout URL too: none is required', () => {
    const state = given([clientCreated({ allowedLogoutRedirectUrls: [BYE] })])
      .when(change('RemoveLogoutRedirectUrl', { url: BYE }))
      .then([{ type: 'LogoutRedirectUrlRemoved', data: { clientId, url: BYE } }]);
    expect(state).toMatchObject({ client: { allowedLogoutRedirectUrls: [] } });
  });

  it('changes nothing when the URL is not allowed', () => {
    given([clientCreated({ allowedLogoutRedirectUrls: [BYE] })])
      .when(change('RemoveLogoutRedirectUrl', { url: CALLBACK }))
      .thenNothingChanges();
  });

  it('refuses an invalid value with BAD_USER_INPUT', () => {
    given([clientCreated({ allowedLogoutRedirectUrls: [BYE] })])
      .when(change('RemoveLogoutRedirectUrl', { url: 'not a url' }))
      .thenFails({ field: 'url', rule: 'redirectUrl' });
  });
});

describe('AddCorsOrigin', () => {
  it('stores the origin in its serialized form', () => {
    given([clientCreated()])
      .when(change('AddCorsOrigin', { origin: 'HTTPS://App.Example.com:443/' }))
      .then([{ type: 'CorsOriginAdded', data: { clientId, origin: 'https://app.example.com' } }]);
  });

  it('changes nothing when an equal origin, written differently, is already allowed', () => {
    given([clientCreated({ allowedCorsOrigins: ['https://example.com'] })])
      .when(change('AddCorsOrigin', { origin: 'https://EXAMPLE.com:443/' }))
      .thenNothingChanges();
  });

  it('adds an origin that differs by port', () => {
    given([clientCreated({ allowedCorsOrigins: ['https://example.com'] })])
      .when(change('AddCorsOrigin', { origin: 'https://example.com:8443' }))
      .then([{ type: 'CorsOriginAdded', data: { clientId, origin: 'https://example.com:8443' } }]);
  });

  it.each(['https://example.com/path', 'http://example.com', 'https://*.example.com', 'example.com'])(
    'refuses %j with rule corsOrigin on field origin',
    (origin) => {
      given([clientCreated()]).when(change('AddCorsOrigin', { origin })).thenFails({ field: 'origin', rule: 'corsOrigin' });
    },
  );

  it('accepts a 10th origin and refuses an 11th with tooMany on field origin', () => {
    given([clientCreated({ allowedCorsOrigins: corsOrigins(9) })])
      .when(change('AddCorsOrigin', { origin: 'https://new.example.com' }))
      .then([{ type: 'CorsOriginAdded', data: { clientId, origin: 'https://new.example.com' } }]);
    given([clientCreated({ allowedCorsOrigins: corsOrigins(10) })])
      .when(change('AddCorsOrigin', { origin: 'https://new.example.com' }))
      .thenFails({ field: 'origin', rule: 'tooMany' });
  });
});

describe('RemoveCorsOrigin', () => {
  const withOrigins = clientCreated({ allowedCorsOrigins: ['https://example.com', 'http://localhost:3000'] });

  it('removes an origin named by a differently written but equal origin', () => {
    const state = given([withOrigins])
      .when(change('RemoveCorsOrigin', { origin: 'HTTPS://Example.com:443/' }))
      .then([{ type: 'CorsOriginRemoved', data: { clientId, origin: 'https://example.com' } }]);
    expect(state).toMatchObject({ client: { allowedCorsOrigins: ['http://localhost:3000'] } });
  });

  it('removes the last origin too', () => {
    given([clientCreated({ allowedCorsOrigins: ['https://example.com'] })])
      .when(change('RemoveCorsOrigin', { origin: 'https://example.com' }))
      .then([{ type: 'CorsOriginRemoved', data: { clientId, origin: 'https://example.com' } }]);
  });

  it('changes nothing when the origin is not allowed', () => {
    given([withOrigins]).when(change('RemoveCorsOrigin', { origin: 'http://localhost:3001' })).thenNothingChanges();
  });

  it('refuses a value that is no origin with BAD_USER_INPUT', () => {
    given([withOrigins])
      .when(change('RemoveCorsOrigin', { origin: 'https://example.com/path' }))
      .thenFails({ field: 'origin', rule: 'corsOrigin' });
  });
});
