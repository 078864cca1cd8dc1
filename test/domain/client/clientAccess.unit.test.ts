import { type ClientCommand, clientStreamId, decide, evolveAll, prepareCommand } from '../../../src/domain/client';
import { NotFoundError } from '../../../src/errors';
import { given } from '../../testing/deciderSpecification';
import { CALLBACK, CLIENT_ID, OTHER_CLIENT_ID, OTHER_TENANT, addClient, change, clientCreated, clientDeleted } from './clientFixtures';

type About = { clientId?: string; tenantId?: string };

/** One valid command of each kind other than AddClient, each of which would change the (enabled) client below, or, for EnableClient, the client once disabled. */
const everyChange = (about: About = {}): ClientCommand[] => [
  change('UpdateClient', { name: 'Renamed' }, about),
  change('RenameClient', { name: 'Renamed' }, about),
  change('SetTokenLifetime', { seconds: 600 }, about),
  change('AddRedirectUrl', { url: 'https://shop.example.com/other' }, about),
  change('RemoveRedirectUrl', { url: 'https://shop.example.com/second' }, about),
  change('AddLogoutRedirectUrl', { url: 'https://shop.example.com/bye' }, about),
  change('RemoveLogoutRedirectUrl', { url: 'https://shop.example.com/logout' }, about),
  change('AddCorsOrigin', { origin: 'https://other.example.com' }, about),
  change('RemoveCorsOrigin', { origin: 'https://api.example.com' }, about),
  change('EnableClient', {}, about),
  change('DisableClient', {}, about),
  change('DeleteClient', {}, about),
];

const created = clientCreated({
  allowedRedirectUrls: [CALLBACK, 'https://shop.example.com/second'],
  allowedLogoutRedirectUrls: ['https://shop.example.com/logout'],
  allowedCorsOrigins: ['https://api.example.com'],
});

const named = (commands: ClientCommand[]) => commands.map((command) => [command.type, command] as const);

describe('who and what a command may reach', () => {
  it.each(named(everyChange()))('%s changes the tenant’s own client (so the refusals below are about access)', (_type, command) => {
    const history = command.type === 'EnableClient' ? [created, { type: 'ClientDisabled', data: { clientId: CLIENT_ID } } as const] : [created];
    expect(decide(command, evolveAll(history))).not.toEqual([]);
  });

  it.each(named(everyChange()))('%s on a client that was never created answers NOT_FOUND', (_type, command) => {
    given([]).when(command).thenFails(NotFoundError);
  });

  it.each(named(everyChange()))('%s on a deleted client answers NOT_FOUND', (_type, command) => {
    given([created, clientDeleted()]).when(command).thenFails(NotFoundError);
  });

  it.each(named(everyChange({ tenantId: OTHER_TENANT })))('%s on another tenant’s client answers NOT_FOUND', (_type, command) => {
    given([created]).when(command).thenFails(NotFoundError);
  });

  it.each(named(everyChange({ clientId: OTHER_CLIENT_ID })))(
    '%s naming another client than the one the stream holds answers NOT_FOUND, never an event about the wrong client',
    (_type, command) => {
      given([created]).when(command).thenFails(NotFoundError);
    },
  );

  it('cannot tell another tenant’s client from a missing or deleted one: same error, same message', () => {
    const command = change('RenameClient', { name: 'Renamed' });
    const otherTenants = change('RenameClient', { name: 'Renamed' }, { tenantId: OTHER_TENANT });
    const answers = [
      given([]).when(command).thenFails(NotFoundError),
      given([created, clientDeleted()]).when(command).thenFails(NotFoundError),
      given([created]).when(otherTenants).thenFails(NotFoundError),
    ].map((error) => ({ class: error.constructor, name: error.name, message: error.message, details: (error as NotFoundError).details }));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0].message).toContain(CLIENT_ID);
  });

  it.each(named(everyChange({ clientId: 'not-a-uuid' })))('%s with a clientId that is no UUID reports rule uuid on clientId', (_type, command) => {
    given([created]).when(command).thenFails({ field: 'clientId', rule: 'uuid' });
  });

  it('reports a bad clientId together with a bad value', () => {
    given([created])
      .when(change('SetTokenLifetime', { seconds: 59 }, { clientId: 'not-a-uuid' }))
      .thenFails([
        { field: 'clientId', rule: 'uuid' },
        { field: 'seconds', rule: 'tokenLifetime' },
      ]);
  });

  it('reads the clientId in any case and names the client in lower case in its events', () => {
    given([created])
      .when(change('RenameClient', { name: 'Renamed' }, { clientId: ` ${CLIENT_ID.toUpperCase()} ` }))
      .then([{ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Renamed' } }]);
  });
});

/** The id of the client a command is about, as the command handler reads it to name the stream. */
const commandClientId = (command: ClientCommand): string => {
  const prepared = prepareCommand(command);
  if (!prepared.ok) throw new Error(`refused: ${JSON.stringify(prepared.violations)}`);
  return prepared.value.clientId;
};

describe('the stream a command is about', () => {
  it('is named by the id of AddClient and the clientId of every other command', () => {
    expect(commandClientId(addClient({ id: OTHER_CLIENT_ID }))).toBe(OTHER_CLIENT_ID);
    expect(commandClientId(change('DeleteClient', {}, { clientId: OTHER_CLIENT_ID }))).toBe(OTHER_CLIENT_ID);
  });

  it('is authorizationCodeClient-<clientId>, a name other programs rely on', () => {
    expect(clientStreamId(CLIENT_ID)).toBe(`authorizationCodeClient-${CLIENT_ID}`);
  });
});
