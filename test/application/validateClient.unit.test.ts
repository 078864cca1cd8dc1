import { type AddClientRequest, type CommandContext, createClientCommandHandler } from '../../src/application/clientCommandHandler';
import { ValidationError } from '../../src/errors';
import { type EventStore } from '../../src/eventstore';

const context: CommandContext = { actor: { id: 'alice', name: 'Alice' }, operationId: 'op-1', correlationId: 'corr-1' };
const valid: AddClientRequest = {
  type: 'AddClient',
  tenantId: 'tenant-a',
  data: { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', name: 'App', allowedRedirectUrls: ['https://app.example.com/cb'] },
};
const withData = (data: Partial<AddClientRequest['data']>): AddClientRequest => ({ ...valid, data: { ...valid.data, ...data } });

const storeTouched: string[] = [];
/** A store that records and refuses any use; `readStream` answers an absent stream when `absent` is set. */
const forbiddenStore = (absent = false): EventStore =>
  new Proxy({} as EventStore, {
    get: (_target, name) => {
      if (absent && name === 'readStream') return () => Promise.resolve({ streamExists: false, events: [] });
      return () => {
        storeTouched.push(String(name));
        throw new Error(`the store was used: ${String(name)}`);
      };
    },
  });

const handlerWith = (options: { store?: EventStore; newId?: () => string } = {}) =>
  createClientCommandHandler({
    store: options.store ?? forbiddenStore(),
    now: () => new Date('2026-01-02T03:04:05.000Z'),
    newId: options.newId ?? (() => '00000000-0000-4000-8000-000000000001'),
    waitForProjections: () => Promise.resolve(true),
    readYourWritesTimeoutMs: 100,
  });

/** The violations `execute` throws for a request, on a store where the client is absent. */
const executeViolations = async (request: AddClientRequest, reason?: string | null) => {
  const error = await handlerWith({ store: forbiddenStore(true) })
    .execute(request, { ...context, reason })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).violations;
};

describe('client command handler: check of an add', () => {
  beforeEach(() => {
    storeTouched.length = 0;
  });
  afterEach(() => {
    expect(storeTouched).toEqual([]);
  });

  it('answers nothing for an add that would be accepted, without touching the store', () => {
    expect(handlerWith().check(valid, context)).toEqual([]);
    expect(handlerWith().check(withData({ id: undefined }), { reason: 'first' })).toEqual([]);
  });

  it.each<[string, AddClientRequest, string | null | undefined]>([
    ['bad settings', withData({ name: '', allowedRedirectUrls: ['https://ok.example.com/cb', 'http://example.com/cb'], tokenLifetime: 30 }), undefined],
    ['a bad id with bad settings and reason', withData({ id: 'nope', name: '', tags: ['bad tag!'] }), '\u0007'],
    ['a bad id alone', withData({ id: 'nope' }), null],
    ['a bad reason alone', valid, ' '],
    ['no redirect URL and too many CORS origins', withData({ allowedRedirectUrls: [], allowedCorsOrigins: Array.from({ length: 11 }, (_, i) => `https://o${i}.example.com`) }), undefined],
  ])('answers exactly the violations execute throws: %s', async (_name, request, reason) => {
    const expected = await executeViolations(request, reason);
    expect(expected.length).toBeGreaterThan(0);
    expect(handlerWith().check(request, { reason })).toEqual(expected);
  });

  it('completes the command as execute does: a generated id comes from newId', () => {
    const newId = jest.fn(() => 'not-a-uuid');
    expect(handlerWith({ newId }).check(withData({ id: null }), context)).toEqual([expect.objectContaining({ field: 'id', rule: 'uuid' })]);
    expect(newId).toHaveBeenCalledTimes(1);
  });

  it('lets any error other than broken rules propagate', () => {
    const failure = new Error('no ids today');
    const newId = () => {
      throw failure;
    };
    expect(() => handlerWith({ newId }).check(withData({ id: undefined }), context)).toThrow(failure);
  });
});
