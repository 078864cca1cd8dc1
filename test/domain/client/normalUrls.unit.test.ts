import { type ClientEvent, evolveAll, evolveAsRecorded, initialState } from '../../../src/domain/client';
import { given } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, change, clientCreated } from './clientFixtures';

const clientId = CLIENT_ID;
const LEGACY = 'HTTP://LOCALHOST:8888/cb';
const NORMAL = 'http://localhost:8888/cb';

describe('redirect URLs in normal form (RFC 3986 §6.2.2)', () => {
  it('are recorded in normal form when added, and the answer is what was stored', () => {
    given([clientCreated()])
      .when(change('AddRedirectUrl', { url: 'https://a.example.com/x/../cb' }))
      .then([{ type: 'RedirectUrlAdded', data: { clientId, url: 'https://a.example.com/cb' } }]);
    given([clientCreated()])
      .when(change('AddLogoutRedirectUrl', { url: LEGACY }))
      .then([{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: NORMAL } }]);
  });

  it('are duplicates when their normal forms are equal: adding another form changes nothing', () => {
    given([clientCreated({ allowedRedirectUrls: ['https://a.example.com/cb'] })])
      .when(change('AddRedirectUrl', { url: 'HTTPS://A.example.com/cb' }))
      .thenNothingChanges();
    given([clientCreated({ allowedRedirectUrls: ['https://a.example.com/cb'] })])
      .when(change('AddRedirectUrl', { url: 'https://a.example.com:443/./cb' }))
      .thenNothingChanges();
  });

  it('are removed whatever form names them, the removal recording the normal form', () => {
    const state = given([clientCreated({ allowedRedirectUrls: [CALLBACK, 'https://a.example.com/cb'] })])
      .when(change('RemoveRedirectUrl', { url: 'HTTPS://A.EXAMPLE.COM:443/cb' }))
      .then([{ type: 'RedirectUrlRemoved', data: { clientId, url: 'https://a.example.com/cb' } }]);
    expect(state).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK] } });
  });

  it('are what the decider sees of events recorded before, which keep their values', () => {
    const old = clientCreated({ allowedRedirectUrls: [LEGACY, 'https://Shop.example.com/x/../callback'], allowedLogoutRedirectUrls: [LEGACY] });
    const state = evolveAll([old]);
    expect(state).toMatchObject({
      client: { allowedRedirectUrls: [NORMAL, CALLBACK], allowedLogoutRedirectUrls: [NORMAL] },
    });
    expect(old.data.allowedRedirectUrls).toEqual([LEGACY, 'https://Shop.example.com/x/../callback']);
    // So adding the stored form, or its normal form, changes nothing, and removing either removes it.
    given([old]).when(change('AddRedirectUrl', { url: NORMAL })).thenNothingChanges();
    given([old]).when(change('AddRedirectUrl', { url: LEGACY })).thenNothingChanges();
    given([old])
      .when(change('RemoveRedirectUrl', { url: LEGACY }))
      .then([{ type: 'RedirectUrlRemoved', data: { clientId, url: NORMAL } }]);
  });

  it('fold two recorded forms of one URL into one', () => {
    const events: ClientEvent[] = [
      clientCreated({ allowedRedirectUrls: [CALLBACK] }),
      { type: 'RedirectUrlAdded', data: { clientId, url: LEGACY } },
      { type: 'RedirectUrlAdded', data: { clientId, url: NORMAL } },
    ];
    expect(evolveAll(events)).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK, NORMAL] } });
  });

  it('are not applied by evolveAsRecorded, which folds what was recorded (for the audit trail), yet removes a value recorded verbatim', () => {
    const created = clientCreated({ allowedRedirectUrls: [CALLBACK, LEGACY] });
    const recorded = evolveAsRecorded(initialState, created);
    expect(recorded).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK, LEGACY] } });
    const removed = evolveAsRecorded(recorded, { type: 'RedirectUrlRemoved', data: { clientId, url: NORMAL } });
    expect(removed).toMatchObject({ client: { allowedRedirectUrls: [CALLBACK] } });
  });
});
