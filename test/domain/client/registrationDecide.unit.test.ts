import { type ClientEvent, type ClientState, decide, evolveAll } from '../../../src/domain/client';
import { UnauthenticatedError, ValidationError } from '../../../src/errors';
import { CALLBACK, CLIENT_ID, TENANT, clientCreated } from './clientFixtures';

const HASH = 'a'.repeat(64);
const NEXT = 'b'.repeat(64);
const issued = (tokenHash = HASH): ClientEvent => ({ type: 'RegistrationAccessTokenIssued', data: { clientId: CLIENT_ID, tokenHash, applicationType: null } });
const registered: ClientState = evolveAll([clientCreated(), issued()]);

const replace = (presentedTokenHash: string, settings: Record<string, unknown> = {}) =>
  decide(
    { type: 'ReplaceRegisteredClient', tenantId: TENANT, data: { clientId: CLIENT_ID, presentedTokenHash, tokenHash: NEXT, applicationType: null, ...settings } },
    registered,
  );

describe('standard registration commands', () => {
  it('RegisterClient records ClientCreated and the token hash, with the same rules as AddClient', () => {
    const events = decide(
      { type: 'RegisterClient', tenantId: TENANT, data: { id: CLIENT_ID, name: 'Agent', allowedRedirectUrls: ['http://localhost:5000/cb'], applicationType: null, tokenHash: HASH } },
      { status: 'absent' },
    );
    expect(events.map((event) => event.type)).toEqual(['ClientCreated', 'RegistrationAccessTokenIssued']);
    expect(events[1].data).toEqual({ clientId: CLIENT_ID, tokenHash: HASH, applicationType: null });
    expect(evolveAll(events)).toMatchObject({ status: 'active', registration: { tokenHash: HASH } });
  });

  it('refuses a web application an http redirect URL, at the URL, with the rule redirectUrl', () => {
    const attempt = () =>
      decide(
        { type: 'RegisterClient', tenantId: TENANT, data: { id: CLIENT_ID, name: 'Web', allowedRedirectUrls: [CALLBACK, 'http://localhost:5000/cb'], applicationType: 'web', tokenHash: HASH } },
        { status: 'absent' },
      );
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).violations).toEqual([expect.objectContaining({ field: 'allowedRedirectUrls', index: 1, rule: 'redirectUrl' })]);
    }
  });

  it('ReplaceRegisteredClient with the current token changes settings by the ordinary events and rotates the token', () => {
    const events = replace(HASH, { name: 'Renamed' });
    expect(events).toEqual([
      { type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Renamed' } },
      { type: 'RegistrationAccessTokenIssued', data: { clientId: CLIENT_ID, tokenHash: NEXT, applicationType: null } },
    ]);
  });

  it('refuses a wrong or rotated token, a client without registration, and a deleted client', () => {
    expect(() => replace(NEXT)).toThrow(UnauthenticatedError);
    const rotated = evolveAll([issued(NEXT)], registered);
    const del = (state: ClientState, presentedTokenHash: string) =>
      decide({ type: 'DeleteRegisteredClient', tenantId: TENANT, data: { clientId: CLIENT_ID, presentedTokenHash } }, state);
    expect(() => del(rotated, HASH)).toThrow(UnauthenticatedError);
    expect(del(rotated, NEXT)).toEqual([{ type: 'ClientDeleted', data: { clientId: CLIENT_ID } }]);
    expect(() => del(evolveAll([clientCreated()]), HASH)).toThrow(UnauthenticatedError);
    expect(() => del(evolveAll([{ type: 'ClientDeleted', data: { clientId: CLIENT_ID } }], registered), HASH)).toThrow(UnauthenticatedError);
  });
});
