import { type ClientCommand, decide, evolveAll, prepareCommand } from '../../../src/domain/client';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { given } from '../../testing/deciderSpecification';
import { CLIENT_ID, addClient, change, clientCreated } from './clientFixtures';

const withReason = <C extends ClientCommand>(command: C, reason: string | null | undefined): C => ({ ...command, reason });

describe('a command’s reason, checked by the domain with the rest of its input', () => {
  it('is recorded trimmed, with line breaks as LF, or null when none is given', () => {
    const prepared = prepareCommand(withReason(change('RenameClient', { name: 'New' }), '  first line\r\nsecond  '));
    expect(prepared).toMatchObject({ ok: true, value: { clientId: CLIENT_ID, reason: 'first line\nsecond' } });
    expect(prepareCommand(change('RenameClient', { name: 'New' }))).toMatchObject({ ok: true, value: { reason: null } });
    expect(prepareCommand(withReason(addClient(), null))).toMatchObject({ ok: true, value: { reason: null } });
  });

  it('is reported after the command’s own violations, all at once', () => {
    const prepared = prepareCommand(withReason(addClient({ id: 'nope', name: '' }), '\u0007'));
    expect(prepared.ok).toBe(false);
    expect(!prepared.ok && prepared.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['id:uuid', 'name:name', 'reason:reason']);
  });

  it('refuses a bad reason before the client is looked at: bad input comes before NOT_FOUND', () => {
    given([]).when(withReason(change('DeleteClient', {}), ' ')).thenFails({ field: 'reason', rule: 'reason' });
    given([clientCreated()]).when(withReason(addClient(), '\u0000')).thenFails({ field: 'reason', rule: 'reason' });
    given([]).when(withReason(change('DeleteClient', {}), 'retired')).thenFails(NotFoundError);
  });

  it('changes nothing about what a command decides when it is valid', () => {
    const state = evolveAll([clientCreated()]);
    const command = change('RenameClient', { name: 'Renamed' });
    expect(decide(withReason(command, 'why'), state)).toEqual(decide(command, state));
  });
});

describe('prepareCommand', () => {
  it('answers the client id in normal form and a decision that reads the state only when asked', () => {
    const prepared = prepareCommand(change('RenameClient', { name: 'New' }, { clientId: CLIENT_ID.toUpperCase() }));
    if (!prepared.ok) throw new Error('refused');
    expect(prepared.value.clientId).toBe(CLIENT_ID);
    expect(() => prepared.value.decide(evolveAll([]))).toThrow(NotFoundError);
    expect(prepared.value.decide(evolveAll([clientCreated()]))).toEqual([{ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'New' } }]);
  });

  it('reports every input rule without a state, as decide throws them', () => {
    const command = change('UpdateClient', { name: '', tokenLifetime: 5, allowedCorsOrigins: ['https://x.example.com/path'] });
    const prepared = prepareCommand(command);
    const thrown = (() => {
      try {
        decide(command, evolveAll([clientCreated()]));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(prepared).toEqual({ ok: false, violations: (thrown as ValidationError).violations });
    expect((thrown as ValidationError).violations.map((v) => v.field)).toEqual(['name', 'tokenLifetime', 'allowedCorsOrigins']);
  });

  it('reports a bad client id before the command’s values, as it always has', () => {
    const fieldsOf = (command: ClientCommand) => {
      const prepared = prepareCommand(command);
      return prepared.ok ? [] : prepared.violations.map((v) => `${v.field}:${v.rule}`);
    };
    const about = { clientId: 'nope' };
    expect(fieldsOf(change('RenameClient', { name: '' }, about))).toEqual(['clientId:uuid', 'name:name']);
    expect(fieldsOf(change('AddRedirectUrl', { url: 'ftp://x' }, about))).toEqual(['clientId:uuid', 'url:redirectUrl']);
    expect(fieldsOf(change('AddCorsOrigin', { origin: 'nope' }, about))).toEqual(['clientId:uuid', 'origin:corsOrigin']);
    expect(fieldsOf(change('SetTokenLifetime', { seconds: 5 }, about))).toEqual(['clientId:uuid', 'seconds:tokenLifetime']);
    expect(fieldsOf(change('UpdateClient', { tokenLifetime: 5, name: '' }, about))).toEqual(['clientId:uuid', 'name:name', 'tokenLifetime:tokenLifetime']);
    expect(fieldsOf(withReason(change('DeleteClient', {}, about), ' '))).toEqual(['clientId:uuid', 'reason:reason']);
  });
});
