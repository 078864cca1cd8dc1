import { NotFoundError } from '../../../src/errors';
import { given } from '../../testing/deciderSpecification';
import { CLIENT_ID, change, clientCreated, clientDeleted } from './clientFixtures';

const clientId = CLIENT_ID;

describe('RenameClient', () => {
  it('records the new name, trimmed', () => {
    const state = given([clientCreated({ name: 'Shop' })])
      .when(change('RenameClient', { name: '  Shop front ' }))
      .then([{ type: 'ClientRenamed', data: { clientId, name: 'Shop front' } }]);
    expect(state).toMatchObject({ status: 'active', client: { name: 'Shop front' } });
  });

  it('changes nothing when the name is the same once trimmed', () => {
    given([clientCreated({ name: 'Shop' })]).when(change('RenameClient', { name: ' Shop ' })).thenNothingChanges();
  });

  it('treats a change of case as a new name', () => {
    given([clientCreated({ name: 'Shop' })])
      .when(change('RenameClient', { name: 'SHOP' }))
      .then([{ type: 'ClientRenamed', data: { clientId, name: 'SHOP' } }]);
  });

  it.each(['', '   ', 'x'.repeat(201), 'tab\tinside'])('refuses the name %j with rule name', (name) => {
    given([clientCreated()]).when(change('RenameClient', { name })).thenFails({ field: 'name', rule: 'name' });
  });

  it('accepts a name of 200 characters', () => {
    const name = 'x'.repeat(200);
    given([clientCreated()]).when(change('RenameClient', { name })).then([{ type: 'ClientRenamed', data: { clientId, name } }]);
  });
});

describe('SetTokenLifetime', () => {
  it.each([60, 3599])('records %i seconds', (seconds) => {
    given([clientCreated({ tokenLifetime: 3600 })])
      .when(change('SetTokenLifetime', { seconds }))
      .then([{ type: 'TokenLifetimeChanged', data: { clientId, seconds } }]);
  });

  it('records 3600 seconds, the maximum', () => {
    given([clientCreated({ tokenLifetime: 60 })])
      .when(change('SetTokenLifetime', { seconds: 3600 }))
      .then([{ type: 'TokenLifetimeChanged', data: { clientId, seconds: 3600 } }]);
  });

  it('changes nothing when the lifetime is the same', () => {
    given([clientCreated({ tokenLifetime: 3600 })]).when(change('SetTokenLifetime', { seconds: 3600 })).thenNothingChanges();
  });

  it.each([59, 3601, 0, -60, 600.5, Number.NaN])('refuses %d seconds with rule tokenLifetime on field seconds', (seconds) => {
    given([clientCreated()]).when(change('SetTokenLifetime', { seconds })).thenFails({ field: 'seconds', rule: 'tokenLifetime' });
  });
});

describe('EnableClient and DisableClient', () => {
  it('disables an enabled client', () => {
    const state = given([clientCreated({ enabled: true })])
      .when(change('DisableClient', {}))
      .then([{ type: 'ClientDisabled', data: { clientId } }]);
    expect(state).toMatchObject({ client: { enabled: false } });
  });

  it('enables a disabled client', () => {
    const state = given([clientCreated({ enabled: false })])
      .when(change('EnableClient', {}))
      .then([{ type: 'ClientEnabled', data: { clientId } }]);
    expect(state).toMatchObject({ client: { enabled: true } });
  });

  it('changes nothing when enabling an enabled client', () => {
    given([clientCreated({ enabled: true })]).when(change('EnableClient', {})).thenNothingChanges();
  });

  it('changes nothing when disabling a disabled client', () => {
    given([clientCreated(), { type: 'ClientDisabled', data: { clientId } }]).when(change('DisableClient', {})).thenNothingChanges();
  });
});

describe('DeleteClient', () => {
  it('deletes the client for good', () => {
    const state = given([clientCreated()])
      .when(change('DeleteClient', {}))
      .then([{ type: 'ClientDeleted', data: { clientId } }]);
    expect(state.status).toBe('deleted');
  });

  it('answers NOT_FOUND when deleting twice', () => {
    given([clientCreated(), clientDeleted()]).when(change('DeleteClient', {})).thenFails(NotFoundError);
  });

  it('deletes a disabled client too', () => {
    given([clientCreated({ enabled: false })])
      .when(change('DeleteClient', {}))
      .then([{ type: 'ClientDeleted', data: { clientId } }]);
  });
});
