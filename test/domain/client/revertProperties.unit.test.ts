import fc from 'fast-check';
import { type Client, type ClientCommand, type ClientEvent, type ClientState, LIMITS, decide, evolve, evolveAll } from '../../../src/domain/client';
import { deepFreeze } from '../../testing/deciderSpecification';
import { CLIENT_ID, TENANT, addClient, corsOrigins, redirectUrls, tags } from './clientFixtures';

// Small pools, so random histories add, remove and re-add the same values and fill lists to their limits.
const urls = redirectUrls(13);
const origins = corsOrigins(13);
const labels = tags(23);
const subset = (values: string[], minLength = 0) => fc.shuffledSubarray(values, { minLength, maxLength: Math.min(values.length, 10) });

const own = (type: ClientCommand['type'], data: fc.Arbitrary<object>): fc.Arbitrary<ClientCommand> =>
  data.map((values) => ({ type, tenantId: TENANT, data: { ...values, clientId: CLIENT_ID } }) as ClientCommand);

/** Commands an administrator may give: valid values, though some are refused on the client as it is (a last URL, a full list). */
const change = fc.oneof(
  own(
    'UpdateClient',
    fc.record(
      {
        name: fc.constantFrom('Shop', 'Shop front', 'Store'),
        tokenLifetime: fc.integer({ min: LIMITS.minTokenLifetime, max: LIMITS.maxTokenLifetime }),
        enabled: fc.boolean(),
        allowedRedirectUrls: subset(urls, 1),
        allowedLogoutRedirectUrls: subset(urls),
        allowedCorsOrigins: subset(origins),
        clientUri: fc.constantFrom(null, 'https://shop.example.com'),
        logoUri: fc.constantFrom(null, 'https://cdn.example.com/logo.png'),
        tags: fc.shuffledSubarray(labels, { maxLength: LIMITS.tags }),
      },
      { requiredKeys: [] },
    ),
  ),
  own('AddRedirectUrl', fc.record({ url: fc.constantFrom(...urls) })),
  own('RemoveRedirectUrl', fc.record({ url: fc.constantFrom(...urls) })),
  own('AddLogoutRedirectUrl', fc.record({ url: fc.constantFrom(...urls) })),
  own('RemoveLogoutRedirectUrl', fc.record({ url: fc.constantFrom(...urls) })),
  own('AddCorsOrigin', fc.record({ origin: fc.constantFrom(...origins) })),
  own('RemoveCorsOrigin', fc.record({ origin: fc.constantFrom(...origins) })),
  own('DisableClient', fc.constant({})),
  own('EnableClient', fc.constant({})),
);

/** A client's history as the decider records it: an add, then what of `commands` it accepts (reverts to `reverts` included). */
const historyOf = (commands: readonly ClientCommand[]): ClientEvent[] => {
  const history: ClientEvent[] = [];
  let state: ClientState = evolveAll([]);
  for (const command of [addClient({ allowedRedirectUrls: [urls[0]] }), ...commands]) {
    try {
      const events = decide(command, state, history);
      history.push(...events);
      state = evolveAll(events, state);
    } catch {
      // Refused: nothing recorded.
    }
  }
  return history;
};

/** A client's settings, lists as sets: what a revert promises to bring back. */
const settingsOf = (state: ClientState) => {
  if (state.status !== 'active') throw new Error(`the client is ${state.status}`);
  const { allowedRedirectUrls, allowedLogoutRedirectUrls, allowedCorsOrigins, tags: labels, ...rest }: Client = state.client;
  const set = (values: string[]) => [...values].sort();
  return {
    ...rest,
    allowedRedirectUrls: set(allowedRedirectUrls),
    allowedLogoutRedirectUrls: set(allowedLogoutRedirectUrls),
    allowedCorsOrigins: set(allowedCorsOrigins),
    tags: set(labels),
  };
};

const revert = (toVersion: number): ClientCommand => ({ type: 'RevertClient', tenantId: TENANT, data: { clientId: CLIENT_ID, toVersion } });

describe('RevertClient over random histories', () => {
  it('reverting to version k, then reading the client at the new version, gives its settings at k; every step keeps the rules', () => {
    let changedSome = false;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 9, arbitrary: change }, { weight: 1, arbitrary: fc.nat(30).map((k) => revert(k + 1)) }), { maxLength: 40 }),
        fc.nat(),
        (commands, pick) => {
          const history = deepFreeze(historyOf(commands));
          const k = 1 + (pick % history.length);
          const then = evolveAll(history.slice(0, k));
          if (then.status === 'active' && then.client.allowedRedirectUrls.length === 0) {
            // Between the events of one update (removals come first), a client can have had no redirect URL: that is not brought back.
            expect(() => decide(revert(k), evolveAll(history), history)).toThrow(expect.objectContaining({ violations: [expect.objectContaining({ rule: 'lastRedirectUrl' })] }));
            return;
          }
          const events = decide(revert(k), evolveAll(history), history);
          changedSome ||= events.length > 0;
          let state = evolveAll(history);
          for (const event of events) {
            const next = evolve(state, event);
            expect(next).not.toEqual(state);
            state = next;
            if (state.status !== 'active') throw new Error('a revert never deletes');
            const client = state.client;
            expect(client.allowedRedirectUrls.length).toBeGreaterThanOrEqual(1);
            expect(client.allowedRedirectUrls.length).toBeLessThanOrEqual(LIMITS.redirectUrls);
            expect(client.allowedLogoutRedirectUrls.length).toBeLessThanOrEqual(LIMITS.logoutRedirectUrls);
            expect(client.allowedCorsOrigins.length).toBeLessThanOrEqual(LIMITS.corsOrigins);
            expect(client.tags.length).toBeLessThanOrEqual(LIMITS.tags);
          }
          const reverted = [...history, ...events];
          expect(settingsOf(evolveAll(reverted))).toEqual(settingsOf(then));
          // Given again, the revert has nothing left to change.
          expect(decide(revert(k), evolveAll(reverted), reverted)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    expect(changedSome).toBe(true);
  }, 60_000);
});
