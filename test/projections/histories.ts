import fc from 'fast-check';
import { type ClientCommand, type ClientEvent, type ClientState, decide, evolve, initialState } from '../../src/domain/client';
import { ADMIN, type GivenClientEvent, TENANT_A, TENANT_B, by, created, minute } from '../testing/projectionSpecification';

/** Client ids used by the histories: fixed, so failures are easy to read. */
export const CLIENT_IDS = [
  '0a000000-0000-4000-8000-000000000001',
  '0b000000-0000-4000-8000-000000000002',
  '0c000000-0000-4000-8000-000000000003',
  '0d000000-0000-4000-8000-000000000004',
  '0e000000-0000-4000-8000-000000000005',
] as const;

/** A second administrator, so histories have more than one actor. */
export const AUDITOR_BOB = { id: 'user-bob', name: null };

const [portal, shop, deleted, other] = CLIENT_IDS;

/**
 * A hand-written history touching every event type: two tenants, a client renamed by someone
 * other than its creator, one deleted, tags added and removed, reasons on some events.
 */
export const richHistory = (): GivenClientEvent[] => [
  by(created(portal, { name: 'Customer Portal', tags: ['prod', 'spa'], allowedCorsOrigins: ['https://portal.example.com'] })),
  by(created(shop, { name: 'Ärzte Shop', enabled: false, tokenLifetime: 600, clientUri: 'https://shop.example.com' })),
  by(created(other, { tenantId: TENANT_B, name: 'Other tenant app', tags: ['prod'] })),
  by({ type: 'ClientRenamed', data: { clientId: portal, name: 'Customer portal (EU)' } }, { actor: AUDITOR_BOB, reason: 'GDPR split' }),
  by({ type: 'TokenLifetimeChanged', data: { clientId: portal, seconds: 900 } }),
  by({ type: 'RedirectUrlAdded', data: { clientId: portal, url: 'com.example.app:/callback' } }),
  by({ type: 'RedirectUrlRemoved', data: { clientId: portal, url: 'https://app.example.com/callback' } }),
  by({ type: 'LogoutRedirectUrlAdded', data: { clientId: portal, url: 'https://portal.example.com/bye' } }),
  by(created(deleted, { name: 'Short lived', tags: ['tmp', 'spa'] })),
  by({ type: 'LogoutRedirectUrlRemoved', data: { clientId: portal, url: 'https://portal.example.com/bye' } }),
  by({ type: 'CorsOriginAdded', data: { clientId: portal, origin: 'https://admin.example.com' } }),
  by({ type: 'CorsOriginRemoved', data: { clientId: portal, origin: 'https://portal.example.com' } }),
  by({ type: 'ClientEnabled', data: { clientId: shop } }, { reason: 'Launch' }),
  by({ type: 'ClientDisabled', data: { clientId: portal } }),
  by({ type: 'ClientUriChanged', data: { clientId: portal, clientUri: 'https://portal.example.com' } }),
  by({ type: 'LogoUriChanged', data: { clientId: portal, logoUri: 'https://portal.example.com/logo.png' } }),
  by({ type: 'TagAdded', data: { clientId: portal, tag: 'team:blue' } }),
  by({ type: 'TagRemoved', data: { clientId: portal, tag: 'spa' } }),
  by({ type: 'TagAdded', data: { clientId: other, tag: 'b-only' } }, { tenantId: TENANT_B }),
  by({ type: 'ClientDeleted', data: { clientId: deleted } }, { reason: 'Not needed' }),
  by({ type: 'ClientUriChanged', data: { clientId: shop, clientUri: null } }),
  by({ type: 'RegistrationAccessTokenIssued', data: { clientId: shop, tokenHash: 'cd'.repeat(32), applicationType: 'web' } }),
];

const NAMES = ['Customer Portal', 'zeta app', 'Ärzte-Portal', 'ΟΔΥΣΣΕΥΣ', 'alpha', 'Alpha'];
const URLS = ['https://a.example.com/cb', 'https://b.example.com/cb', 'com.example.app:/callback', 'http://localhost:3000/cb'];
const ORIGINS = ['https://a.example.com', 'https://b.example.com', 'http://localhost:8080'];
const TAGS = ['prod', 'spa', 'team:blue', 'tmp'];
const URIS = [null, 'https://example.com', 'https://example.com/logo.png'];
const LIFETIMES = [60, 600, 3600];
const ACTORS = [ADMIN, AUDITOR_BOB, { id: 'user-cy', name: 'Cy' }];

/** One step of a random history: a command kind, the client it is about and a value index. */
interface Step {
  kind: number;
  client: number;
  value: number;
  actor: number;
  reason: boolean;
}

const commandFor = (step: Step): ClientCommand => {
  const clientId = CLIENT_IDS[step.client];
  const tenantId = step.client % 2 === 0 ? TENANT_A : TENANT_B;
  const pick = <T>(list: readonly T[]): T => list[step.value % list.length];
  const tags = TAGS.filter((_, index) => (step.value >> index) & 1);
  switch (step.kind) {
    case 0:
      return {
        type: 'AddClient',
        tenantId,
        data: { id: clientId, name: pick(NAMES), allowedRedirectUrls: [pick(URLS)], tags, enabled: step.value % 3 !== 0 },
      };
    case 1:
      return { type: 'RenameClient', tenantId, data: { clientId, name: pick(NAMES) } };
    case 2:
      return { type: 'SetTokenLifetime', tenantId, data: { clientId, seconds: pick(LIFETIMES) } };
    case 3:
      return { type: 'AddRedirectUrl', tenantId, data: { clientId, url: pick(URLS) } };
    case 4:
      return { type: 'RemoveRedirectUrl', tenantId, data: { clientId, url: pick(URLS) } };
    case 5:
      return { type: 'AddLogoutRedirectUrl', tenantId, data: { clientId, url: pick(URLS) } };
    case 6:
      return { type: 'RemoveLogoutRedirectUrl', tenantId, data: { clientId, url: pick(URLS) } };
    case 7:
      return { type: 'AddCorsOrigin', tenantId, data: { clientId, origin: pick(ORIGINS) } };
    case 8:
      return { type: 'RemoveCorsOrigin', tenantId, data: { clientId, origin: pick(ORIGINS) } };
    case 9:
      return { type: step.value % 2 === 0 ? 'EnableClient' : 'DisableClient', tenantId, data: { clientId } };
    case 10:
      return { type: 'UpdateClient', tenantId, data: { clientId, tags, clientUri: pick(URIS), logoUri: pick([...URIS].reverse()) } };
    case 11:
      return { type: 'UpdateClient', tenantId, data: { clientId, name: pick(NAMES), allowedRedirectUrls: URLS.slice(0, 1 + (step.value % 3)) } };
    default:
      return { type: 'DeleteClient', tenantId, data: { clientId } };
  }
};

/**
 * Turns steps into a valid history with the domain's own decider: commands it refuses are
 * dropped, commands with several events record them under one operation id.
 */
export const historyFromSteps = (steps: readonly Step[]): GivenClientEvent[] => {
  const states = new Map<string, ClientState>();
  const history: GivenClientEvent[] = [];
  steps.forEach((step, index) => {
    const command = commandFor(step);
    const clientId = CLIENT_IDS[step.client];
    const state = states.get(clientId) ?? initialState;
    let events: ClientEvent[];
    try {
      events = decide(command, state);
    } catch {
      return;
    }
    states.set(clientId, events.reduce(evolve, state));
    for (const event of events) {
      history.push(
        by(event, {
          tenantId: command.tenantId,
          actor: { ...ACTORS[step.actor % ACTORS.length] },
          operationId: `op-step-${index}`,
          correlationId: `corr-step-${index}`,
          causationId: `cmd-step-${index}`,
          occurredAt: minute(index),
          reason: step.reason ? `because of step ${index}` : null,
        }),
      );
    }
  });
  return history;
};

/** Random valid histories of up to `maxSteps` commands over five clients in two tenants. */
export const arbitraryHistory = (maxSteps = 40): fc.Arbitrary<GivenClientEvent[]> =>
  fc
    .array(
      fc.record({
        // Creation is drawn more often, so most steps have a client to act on.
        kind: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
        client: fc.integer({ min: 0, max: CLIENT_IDS.length - 1 }),
        value: fc.integer({ min: 0, max: 15 }),
        actor: fc.integer({ min: 0, max: ACTORS.length - 1 }),
        reason: fc.boolean(),
      }),
      { minLength: 1, maxLength: maxSteps },
    )
    .map(historyFromSteps);
