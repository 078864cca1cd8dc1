import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { deciderSpecification, given } from '../../testing/deciderSpecification';
import { CLIENT_ID, addClient, change, clientCreated } from './clientFixtures';

type CounterEvent = { type: 'Added'; by: number };
type CounterCommand = { type: 'Add'; by: number } | { type: 'Break' };

const counter = deciderSpecification<CounterCommand, CounterEvent, { total: number; seen: number[] }>({
  initialState: { total: 0, seen: [] },
  evolve: (state, event) => ({ total: state.total + event.by, seen: [...state.seen, event.by] }),
  decide: (command, state) => {
    if (command.type === 'Break') {
      state.seen.push(1);
      return [];
    }
    return command.by === 0 ? [] : [{ type: 'Added', by: command.by }];
  },
});

describe('the decider specification helper', () => {
  it('answers the state the expected events lead to', () => {
    expect(counter([{ type: 'Added', by: 2 }]).when({ type: 'Add', by: 3 }).then([{ type: 'Added', by: 3 }])).toEqual({
      total: 5,
      seen: [2, 3],
    });
  });

  it('fails `then` when other events are recorded', () => {
    expect(() => counter().when({ type: 'Add', by: 3 }).then([{ type: 'Added', by: 4 }])).toThrow();
  });

  it('fails `then` and `thenNothingChanges` when the command is refused, naming the error', () => {
    expect(() => given([clientCreated()]).when(addClient()).then([])).toThrow(/refused with ConflictError/);
    expect(() => given([clientCreated()]).when(addClient()).thenNothingChanges()).toThrow(/ConflictError/);
  });

  it('fails `thenNothingChanges` when events are recorded', () => {
    expect(() => counter().when({ type: 'Add', by: 1 }).thenNothingChanges()).toThrow();
  });

  it('fails `thenFails` when the command is accepted', () => {
    expect(() => counter().when({ type: 'Add', by: 1 }).thenFails(Error)).toThrow(/accepted with the events/);
  });

  it('fails `thenFails` on an error of another class', () => {
    expect(() => given([clientCreated()]).when(addClient()).thenFails(NotFoundError)).toThrow(/Expected a NotFoundError/);
  });

  it('answers the error for further checks', () => {
    expect(given([clientCreated()]).when(addClient()).thenFails(ConflictError)).toBeInstanceOf(ConflictError);
  });

  it('checks the field, the rule and the index of every violation, and that no other is reported', () => {
    const twoBad = addClient({ allowedRedirectUrls: ['https://ok.example.com/cb', 'http://bad.example.com/cb'], tokenLifetime: 1 });
    const twoViolations = [
      { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 },
      { field: 'tokenLifetime', rule: 'tokenLifetime' },
    ];
    expect(given().when(twoBad).thenFails([...twoViolations].reverse())).toBeInstanceOf(ValidationError);
    expect(() => given().when(twoBad).thenFails(twoViolations[0])).toThrow();
    expect(() => given().when(twoBad).thenFails([{ ...twoViolations[0], index: 0 }, twoViolations[1]])).toThrow();
    expect(() => given().when(twoBad).thenFails([{ field: 'allowedRedirectUrls', rule: 'redirectUrl' }, twoViolations[1]])).toThrow();
    expect(() => given().when(twoBad).thenFails([twoViolations[0], { field: 'seconds', rule: 'tokenLifetime' }])).toThrow();
    expect(() => given().when(twoBad).thenFails([twoViolations[0], { field: 'tokenLifetime', rule: 'tooMany' }])).toThrow();
  });

  it('expects a ValidationError when violations are named', () => {
    expect(() =>
      given([]).when(change('RenameClient', { name: 'New' }, { clientId: CLIENT_ID })).thenFails({ field: 'clientId', rule: 'uuid' }),
    ).toThrow(/Expected a ValidationError, but the command was refused with NotFoundError/);
  });

  it('freezes the state, so a decider that mutates it fails', () => {
    expect(() => counter([{ type: 'Added', by: 2 }]).when({ type: 'Break' }).thenNothingChanges()).toThrow(/refused with TypeError/);
  });
});
