import { given } from '../../testing/deciderSpecification';
import { CLIENT_ID, change, clientCreated, redirectUrls, tags } from './clientFixtures';

// A client recorded when the limits were looser (or before a rule existed) must stay manageable:
// commands are refused only for what they make worse.
describe('a client stored over today’s limits', () => {
  const overLimits = clientCreated({ allowedLogoutRedirectUrls: redirectUrls(12, 'bye.example.com'), tags: tags(25) });

  it('can still be disabled, renamed and brought back within the limits', () => {
    given([overLimits]).when(change('DisableClient', {})).then([{ type: 'ClientDisabled', data: { clientId: CLIENT_ID } }]);
    given([overLimits]).when(change('RenameClient', { name: 'Legacy' })).then([{ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Legacy' } }]);
    given([overLimits])
      .when(change('RemoveLogoutRedirectUrl', { url: 'https://bye.example.com/cb0' }))
      .then([{ type: 'LogoutRedirectUrlRemoved', data: { clientId: CLIENT_ID, url: 'https://bye.example.com/cb0' } }]);
  });

  it('refuses what makes a list longer still', () => {
    given([overLimits]).when(change('AddLogoutRedirectUrl', { url: 'https://bye.example.com/more' })).thenFails({ field: 'url', rule: 'tooMany' });
    given([overLimits]).when(change('UpdateClient', { tags: [...tags(25), 'one-more'] })).thenFails([{ field: 'tags', rule: 'tooMany' }]);
  });

  it('a client with no redirect URL (impossible today) is not blocked by lastRedirectUrl until one is added', () => {
    given([clientCreated({ allowedRedirectUrls: [] })]).when(change('DisableClient', {})).then([{ type: 'ClientDisabled', data: { clientId: CLIENT_ID } }]);
    given([clientCreated({ allowedRedirectUrls: [] })])
      .when(change('AddRedirectUrl', { url: redirectUrls(1)[0] }))
      .then([{ type: 'RedirectUrlAdded', data: { clientId: CLIENT_ID, url: redirectUrls(1)[0] } }]);
  });
});
