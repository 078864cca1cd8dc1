import fc from 'fast-check';
import {
  type Client,
  type ClientCommand,
  type ClientEvent,
  type ClientState,
  LIMITS,
  decide,
  evolve,
  evolveAll,
  initialState,
} from '../../../src/domain/client';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { deepFreeze } from '../../testing/deciderSpecification';
import { CLIENT_ID, OTHER_TENANT, TENANT, clientCreated } from './clientFixtures';

const RULES = ['uuid', 'name', 'tokenLifetime', 'redirectUrl', 'tooMany', 'lastRedirectUrl', 'corsOrigin', 'uri', 'tag'];

// Pools larger than the limits, with values written in several ways, so random commands reach
// the bounds and the duplicates; now and then an invalid value, so refusals happen too.
const redirectUrls = [
  ...Array.from({ length: 13 }, (_, i) => `https://app.example.com/cb${i}`),
  'https://app.example.com/CB1',
  ' https://app.example.com/cb2 ',
  'com.example.app:/callback',
  'http://localhost:3000/cb',
];
const badRedirectUrls = ['http://evil.example.com/cb', 'javascript:alert(1)', 'https://app.example.com/cb#x'];
const origins = [
  ...Array.from({ length: 13 }, (_, i) => `https://o${i}.example.com`),
  'HTTPS://O1.Example.com:443/',
  'https://o2.example.com/',
  'http://localhost:3000',
];
const badOrigins = ['https://o3.example.com/path', 'http://o4.example.com'];
const tagValues = [...Array.from({ length: 23 }, (_, i) => `tag-${i}`), ' tag-1 '];
const names = ['Shop', ' Shop ', 'Shop front', 'x'.repeat(LIMITS.nameLength)];
const badNames = ['', '  ', 'x'.repeat(LIMITS.nameLength + 1), 'a\u0000b'];
const uris = [null, 'https://shop.example.com', ' https://shop.example.com/about '];

/** Mostly a valid value, now and then an invalid one. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: invalid });
const one = (valid: readonly string[], invalid: readonly string[]) => mostly(fc.constantFrom(...valid), fc.constantFrom(...invalid));
/** Lists of any length up to `maxLength`: short ones more often, some with duplicates, some of distinct values only. */
const listOf = (values: readonly string[], maxLength: number, minLength = 0) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...values), { minLength, maxLength }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...values), { minLength, maxLength, size: 'max' }) },
    { weight: 1, arbitrary: fc.shuffledSubarray([...values], { minLength, maxLength }) },
  );
const validLifetime = fc.oneof(fc.integer({ min: LIMITS.minTokenLifetime, max: LIMITS.maxTokenLifetime }), fc.constantFrom(60, 3600));

/** Values for every setting, valid ones only, within the limits of a create. */
const validSettings = {
  name: fc.constantFrom(...names),
  allowedRedirectUrls: listOf(redirectUrls, LIMITS.redirectUrls, 1),
  allowedLogoutRedirectUrls: listOf(redirectUrls, LIMITS.logoutRedirectUrls),
  allowedCorsOrigins: listOf(origins, LIMITS.corsOrigins),
  tokenLifetime: validLifetime,
  enabled: fc.boolean(),
  clientUri: fc.constantFrom(...uris),
  logoUri: fc.constantFrom(...uris),
  tags: listOf(tagValues, LIMITS.tags),
};

/** Values for every setting, sometimes invalid, sometimes too many. */
const settings = {
  name: one(names, badNames),
  allowedRedirectUrls: mostly(listOf(redirectUrls, 12), listOf([...redirectUrls, ...badRedirectUrls], 12)),
  allowedLogoutRedirectUrls: mostly(listOf(redirectUrls, 12), listOf([...redirectUrls, ...badRedirectUrls], 12)),
  allowedCorsOrigins: mostly(listOf(origins, 12), listOf([...origins, ...badOrigins], 12)),
  tokenLifetime: mostly(validLifetime, fc.constantFrom(0, 59, 3601, 86400, 90.5)),
  enabled: fc.boolean(),
  clientUri: mostly(fc.constantFrom(...uris), fc.constant('http://shop.example.com')),
  logoUri: mostly(fc.constantFrom(...uris), fc.constant('ftp://cdn.example.com/logo.png')),
  tags: mostly(listOf(tagValues, 24), listOf([...tagValues, 'bad tag', ''], 24)),
};

/** Mostly the tenant's own client, sometimes written in upper case, another tenant, or no UUID. */
const about = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ clientId: CLIENT_ID, tenantId: TENANT }) },
  { weight: 2, arbitrary: fc.constant({ clientId: CLIENT_ID.toUpperCase(), tenantId: TENANT }) },
  { weight: 1, arbitrary: fc.constant({ clientId: CLIENT_ID, tenantId: OTHER_TENANT }) },
  { weight: 1, arbitrary: fc.constant({ clientId: 'not-a-uuid', tenantId: TENANT }) },
);

const command = <C extends ClientCommand>(type: C['type'], data: fc.Arbitrary<object>): fc.Arbitrary<ClientCommand> =>
  fc.tuple(about, data).map(([{ clientId, tenantId }, values]) => ({ type, tenantId, data: { ...values, clientId } }) as ClientCommand);

const addClientWith = (values: typeof settings): fc.Arbitrary<ClientCommand> =>
  fc
    .tuple(fc.record(values, { requiredKeys: ['name', 'allowedRedirectUrls'] }), fc.constantFrom(CLIENT_ID, ` ${CLIENT_ID.toUpperCase()}`))
    .map(([data, id]) => ({ type: 'AddClient', tenantId: TENANT, data: { ...data, id } }));
/** An AddClient that is accepted on an absent client. */
const validAddClient = addClientWith(validSettings);
const addClient = addClientWith(settings);

/**
 * The commands of the administrators' API. The standard-registration commands are decided on a
 * token's hash and always rotate it (an event that changes no setting), so they have their own
 * specification (registrationDecide.unit.test.ts) rather than these idempotence properties.
 */
type AdminCommandType = Exclude<ClientCommand['type'], 'RegisterClient' | 'ReplaceRegisteredClient' | 'DeleteRegisteredClient'>;

/** One arbitrary of each command kind. */
const commands = {
  AddClient: addClient,
  UpdateClient: command('UpdateClient', fc.record(settings, { requiredKeys: [] })),
  RenameClient: command('RenameClient', fc.record({ name: settings.name })),
  SetTokenLifetime: command('SetTokenLifetime', fc.record({ seconds: settings.tokenLifetime })),
  AddRedirectUrl: command('AddRedirectUrl', fc.record({ url: one(redirectUrls, badRedirectUrls) })),
  RemoveRedirectUrl: command('RemoveRedirectUrl', fc.record({ url: one(redirectUrls, badRedirectUrls) })),
  AddLogoutRedirectUrl: command('AddLogoutRedirectUrl', fc.record({ url: one(redirectUrls, badRedirectUrls) })),
  RemoveLogoutRedirectUrl: command('RemoveLogoutRedirectUrl', fc.record({ url: one(redirectUrls, badRedirectUrls) })),
  AddCorsOrigin: command('AddCorsOrigin', fc.record({ origin: one(origins, badOrigins) })),
  RemoveCorsOrigin: command('RemoveCorsOrigin', fc.record({ origin: one(origins, badOrigins) })),
  EnableClient: command('EnableClient', fc.constant({})),
  DisableClient: command('DisableClient', fc.constant({})),
  // Versions past the end of the history and 0 now and then: refused, rule version.
  RevertClient: command('RevertClient', fc.record({ toVersion: fc.integer({ min: 0, max: 45 }) })),
  DeleteClient: command('DeleteClient', fc.constant({})),
} satisfies Record<AdminCommandType, fc.Arbitrary<ClientCommand>>;

/** A mix of commands, each kind as often as its weight says. */
const mix = (weights: Record<AdminCommandType, number>): fc.Arbitrary<ClientCommand> =>
  fc.oneof(
    ...(Object.keys(weights) as AdminCommandType[])
      .filter((type) => weights[type] > 0)
      .map((type) => ({ weight: weights[type], arbitrary: commands[type] })),
  );

const anyCommand = mix({
  AddClient: 1,
  UpdateClient: 24,
  RenameClient: 8,
  SetTokenLifetime: 8,
  AddRedirectUrl: 16,
  RemoveRedirectUrl: 16,
  AddLogoutRedirectUrl: 16,
  RemoveLogoutRedirectUrl: 16,
  AddCorsOrigin: 16,
  RemoveCorsOrigin: 16,
  EnableClient: 10,
  DisableClient: 10,
  RevertClient: 10,
  DeleteClient: 3,
});

/** A command about the tenant's own client, with valid values. */
const own = (type: ClientCommand['type'], data: fc.Arbitrary<object>): fc.Arbitrary<ClientCommand> =>
  data.map((values) => ({ type, tenantId: TENANT, data: { ...values, clientId: CLIENT_ID } }) as ClientCommand);

/** Mostly additions of valid values, so lists fill up to their limits; removals only of the first URL. */
const growingCommand = fc.oneof(
  { weight: 6, arbitrary: own('AddRedirectUrl', fc.record({ url: fc.constantFrom(...redirectUrls) })) },
  { weight: 6, arbitrary: own('AddLogoutRedirectUrl', fc.record({ url: fc.constantFrom(...redirectUrls) })) },
  { weight: 6, arbitrary: own('AddCorsOrigin', fc.record({ origin: fc.constantFrom(...origins) })) },
  { weight: 2, arbitrary: own('RemoveRedirectUrl', fc.constant({ url: redirectUrls[0] })) },
  {
    weight: 2,
    arbitrary: own(
      'UpdateClient',
      fc.record({ allowedRedirectUrls: fc.shuffledSubarray(redirectUrls, { minLength: 1 }), tags: fc.shuffledSubarray(tagValues) }, { requiredKeys: [] }),
    ),
  },
);

/** What deciding gave: events, or the error it was refused with; `history` is the events `state` folds. */
const attempt = (command: ClientCommand, state: ClientState, history: readonly ClientEvent[] = []): { events: ClientEvent[] } | { error: unknown } => {
  try {
    return { events: decide(deepFreeze(structuredClone(command)), deepFreeze(state), deepFreeze(structuredClone(history))) };
  } catch (error) {
    return { error };
  }
};

/** The client is within the bounds of DESIGN.md §3. */
const expectWithinLimits = (client: Client): void => {
  expect(client.allowedRedirectUrls.length).toBeGreaterThanOrEqual(1);
  expect(client.allowedRedirectUrls.length).toBeLessThanOrEqual(LIMITS.redirectUrls);
  expect(client.allowedLogoutRedirectUrls.length).toBeLessThanOrEqual(LIMITS.logoutRedirectUrls);
  expect(client.allowedCorsOrigins.length).toBeLessThanOrEqual(LIMITS.corsOrigins);
  expect(client.tags.length).toBeLessThanOrEqual(LIMITS.tags);
  expect(client.tokenLifetime).toBeGreaterThanOrEqual(LIMITS.minTokenLifetime);
  expect(client.tokenLifetime).toBeLessThanOrEqual(LIMITS.maxTokenLifetime);
};

/** The client could have been registered as it is by a single AddClient, which would record exactly it. */
const expectCreatable = (client: Client): void => {
  expectWithinLimits(client);
  const { id, tenantId, ...rest } = client;
  expect(decide({ type: 'AddClient', tenantId, data: { id, ...rest } }, initialState)).toEqual([
    { type: 'ClientCreated', data: { clientId: id, tenantId, ...rest } },
  ]);
};

/** Property runs take seconds; give them room on a busy machine. */
const PROPERTY_TIMEOUT_MS = 60_000;

describe('decide and evolve, over random command sequences', () => {
  it('never lead to a client a single AddClient would refuse, and refuse commands whole', () => {
    const accepted = new Set<string>();
    fc.assert(
      fc.property(validAddClient, fc.array(anyCommand, { maxLength: 40 }), (first, rest) => {
        let state: ClientState = initialState;
        const history: ClientEvent[] = [];
        for (const current of [first, ...rest]) {
          const outcome = attempt(current, state, history);
          if ('error' in outcome) {
            // A refusal is one of ours, and a ValidationError names the rules it broke.
            expect(outcome.error).toBeInstanceOf(AppError);
            if (outcome.error instanceof ValidationError) {
              expect(outcome.error.violations.length).toBeGreaterThan(0);
              const rules = current.type === 'RevertClient' ? [...RULES, 'version'] : RULES;
              for (const violation of outcome.error.violations) expect(rules).toContain(violation.rule);
            }
            continue;
          }
          const before = state;
          for (const event of outcome.events) {
            // Every event is about this client and changes it: no event records nothing.
            expect(event.data.clientId).toBe(CLIENT_ID);
            const next = evolve(state, event);
            expect(next).not.toEqual(state);
            state = next;
          }
          history.push(...outcome.events);
          if (outcome.events.length > 0) accepted.add(current.type);
          if (state.status === 'active') expectCreatable(state.client);

          // Given again, an accepted command records nothing more, and is not refused now.
          const again = attempt(current, state, history);
          if (current.type === 'AddClient' && outcome.events.length > 0) expect(again).toEqual({ error: expect.any(ConflictError) });
          else if (current.type === 'DeleteClient' && outcome.events.length > 0) {
            expect(again).toEqual({ error: expect.any(NotFoundError) });
          } else expect(again).toEqual({ events: [] });
          expect(evolveAll(outcome.events, before)).toEqual(state);
        }
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: every kind of command was accepted with events.
    expect([...accepted].sort()).toEqual(Object.keys(commands).sort());
  }, PROPERTY_TIMEOUT_MS);

  it('reaches the bounds: full lists are refused one more entry, a last redirect URL is kept', () => {
    const refused = new Set<string>();
    fc.assert(
      fc.property(fc.array(growingCommand, { minLength: 40, maxLength: 80 }), (sequence) => {
        let state = evolveAll([clientCreated({ allowedRedirectUrls: [redirectUrls[0]] })]);
        for (const current of sequence) {
          const outcome = attempt(current, state);
          if ('error' in outcome) {
            expect(outcome.error).toBeInstanceOf(ValidationError);
            for (const { rule, field } of (outcome.error as ValidationError).violations) refused.add(`${current.type} ${field} ${rule}`);
            continue;
          }
          state = evolveAll(outcome.events, state);
          if (state.status === 'active') expectWithinLimits(state.client);
        }
        if (state.status === 'active') expectCreatable(state.client);
      }),
      { numRuns: 150 },
    );
    expect([...refused].sort()).toEqual(
      [
        'AddCorsOrigin origin tooMany',
        'AddLogoutRedirectUrl url tooMany',
        'AddRedirectUrl url tooMany',
        'RemoveRedirectUrl url lastRedirectUrl',
        'UpdateClient allowedRedirectUrls tooMany',
        'UpdateClient tags tooMany',
      ].sort(),
    );
  }, PROPERTY_TIMEOUT_MS);
});
