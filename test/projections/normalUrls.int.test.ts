import { auditTrailProjection, clientListProjection } from '../../projections';
import { type ClientEvent, evolveAll } from '../../src/domain/client';
import { by, created, given } from '../testing/projectionSpecification';
import { CLIENT_IDS } from './histories';

const [portal] = CLIENT_IDS;
const LEGACY = 'HTTP://LOCALHOST:8888/cb';
const NORMAL = 'http://localhost:8888/cb';

/** Events recorded before registration stored normal forms: their values as the user typed them. */
const oldEvents: ClientEvent[] = [
  created(portal, { allowedRedirectUrls: [LEGACY, 'https://a.example.com/x/../cb'], allowedLogoutRedirectUrls: [LEGACY] }),
  { type: 'RedirectUrlAdded', data: { clientId: portal, url: 'HTTPS://App.Example.com:443' } },
];

describe('redirect URLs recorded before the normal form', () => {
  it('are shown in normal form by the client list and the decider, while the audit trail keeps what was recorded', async () => {
    const tables = await given(oldEvents.map((event) => by(event)), [clientListProjection, auditTrailProjection])
      .whenReplayedTwice()
      .then({
        clients: [
          {
            id: portal,
            allowed_redirect_urls: JSON.stringify([NORMAL, 'https://a.example.com/cb', 'https://app.example.com/']),
            allowed_logout_redirect_urls: JSON.stringify([NORMAL]),
          },
        ],
      });
    expect(evolveAll(oldEvents)).toMatchObject({
      client: { allowedRedirectUrls: [NORMAL, 'https://a.example.com/cb', 'https://app.example.com/'], allowedLogoutRedirectUrls: [NORMAL] },
    });
    const changes = tables.audit_entries.map((row) => JSON.parse(row.changes as string) as unknown);
    expect(changes[0]).toEqual(
      expect.arrayContaining([
        { field: 'allowedRedirectUrls', before: null, after: [LEGACY, 'https://a.example.com/x/../cb'] },
        { field: 'allowedLogoutRedirectUrls', before: null, after: [LEGACY] },
      ]),
    );
    expect(changes[1]).toEqual([
      {
        field: 'allowedRedirectUrls',
        before: [LEGACY, 'https://a.example.com/x/../cb'],
        after: [LEGACY, 'https://a.example.com/x/../cb', 'HTTPS://App.Example.com:443'],
      },
    ]);
  });

  it('are removed from both by a removal of their normal form', async () => {
    const removal: ClientEvent = { type: 'RedirectUrlRemoved', data: { clientId: portal, url: NORMAL } };
    const tables = await given([...oldEvents, removal].map((event) => by(event)), [clientListProjection, auditTrailProjection])
      .whenReplayedTwice()
      .then({ clients: [{ id: portal, allowed_redirect_urls: JSON.stringify(['https://a.example.com/cb', 'https://app.example.com/']) }] });
    expect(JSON.parse(tables.audit_entries[2].changes as string)).toEqual([
      {
        field: 'allowedRedirectUrls',
        before: [LEGACY, 'https://a.example.com/x/../cb', 'HTTPS://App.Example.com:443'],
        after: ['https://a.example.com/x/../cb', 'HTTPS://App.Example.com:443'],
      },
    ]);
  });
});
