import {
  type Actor,
  type AddClient,
  type ClientCommand,
  type ClientEvent,
  type ClientState,
  EVENT_SCHEMA_VERSION,
  type EventMetadata,
  clientStreamId,
  clientVersion,
  evolve,
  initialState,
  isVisibleTo,
  prepareCommand,
  readClientEvent,
} from '../domain/client';
import { ConflictError, ValidationError, type Violation } from '../errors';
import { ConcurrencyError, type EventStore, type Position } from '../eventstore';
import { type StreamFold, handleCommand } from './handleCommand';
import { type CommandIds } from './idempotentIds';

/** An AddClient as callers give it: the id may be left to be generated. */
export type AddClientRequest = Omit<AddClient, 'data'> & { data: Omit<AddClient['data'], 'id'> & { id?: string | null } };

/** A command as callers give it: AddClient may leave the id to be generated. */
export type ClientCommandRequest = Exclude<ClientCommand, AddClient> | AddClientRequest;

/** Who asks, on whose behalf, and why; recorded in every event's metadata. */
export interface CommandContext {
  actor: Actor;
  operationId: string;
  correlationId: string;
  /** The version the caller last saw; a different current version is a conflict. */
  expectedVersion?: number | null;
  reason?: string | null;
  /**
   * Ids that stay the same when the request is retried (Idempotency-Key). The command first looks
   * for its own events in the stream; when they are there it answers them instead of deciding again.
   */
  ids?: CommandIds;
}

/** What came of a command. */
export interface CommandOutcome {
  clientId: string;
  /** False when the command asked for what was already so; nothing was recorded. */
  changed: boolean;
  /** Events in the client's stream after the command. */
  version: number;
  /** Global position of the client's latest event. */
  position: Position;
  /** True when this instance's projections did not catch up within the read-your-writes bound. */
  stale: boolean;
}

/** What the handler needs from outside: the store, the clock, ids, and the projections to wait for. */
export interface ClientCommandHandlerDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
  /** Resolves true once every projection has processed `position`, false if `timeoutMs` passes first. */
  waitForProjections: (position: Position, timeoutMs: number) => Promise<boolean>;
  readYourWritesTimeoutMs: number;
  /** Attempts on a concurrency clash when the caller gave no expectedVersion. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs client commands: load the stream, decide, append with the expected revision. */
export interface ClientCommandHandler {
  execute(request: ClientCommandRequest, context: CommandContext): Promise<CommandOutcome>;
  /**
   * The rules an add breaks, exactly as `execute` would report them; empty when it would be
   * accepted. Reads and records nothing, so a taken id shows only when adding.
   */
  check(request: AddClientRequest, context: Pick<CommandContext, 'reason'>): Violation[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A client's stream: its events read through the upcasting gate and folded by the decider's evolve. */
const CLIENT_STREAM: StreamFold<ClientState, ClientEvent> = {
  initialState,
  evolve,
  read: (recorded) => readClientEvent(recorded).event,
};

const staleVersion = (expected: number, current: number) =>
  new ConflictError(`The client is at version ${current}, not the expected ${expected}; reload it and try again`, {
    currentVersion: current,
  });

/** CONFLICT for a command that lost the race to append: stale for a caller who named a version, else retries ran out. */
const lostRace = (error: ConcurrencyError, expected: number | null, attempts: number): ConflictError =>
  expected !== null
    ? staleVersion(expected, clientVersion(error.actual === 'no_stream' ? null : error.actual))
    : new ConflictError(`The client changed ${attempts} times while this command was decided; try again`, {}, { cause: error });

/** The metadata every event of one command carries: who, for which tenant, when, why, and as part of what. */
const metadataOf = (tenantId: string, context: CommandContext, reason: string | null, now: Date): EventMetadata => ({
  schemaVersion: EVENT_SCHEMA_VERSION,
  tenantId,
  actor: context.actor,
  operationId: context.operationId,
  correlationId: context.correlationId,
  causationId: context.operationId,
  occurredAt: now.toISOString(),
  reason,
});

/** A retried command whose events the stream already holds: what the first attempt appended, found by its derived ids. */
const earlierAttempt = async (deps: ClientCommandHandlerDeps, clientId: string, ids: CommandIds): Promise<CommandOutcome | null> => {
  const { events } = await deps.store.readStream(clientStreamId(clientId));
  const first = events.findIndex((event) => event.id === ids.eventId(0));
  if (first < 0) return null;
  let last = first;
  while (events[last + 1]?.id === ids.eventId(last + 1 - first)) last += 1;
  const { revision, position } = events[last];
  const caughtUp = await deps.waitForProjections(position, deps.readYourWritesTimeoutMs);
  return { clientId, changed: true, version: clientVersion(revision), position, stale: !caughtUp };
};

/** Creates the command handler. */
export const createClientCommandHandler = (deps: ClientCommandHandlerDeps): ClientCommandHandler => {
  const maxAttempts = deps.maxAttempts ?? 20;
  const sleep = deps.sleep ?? defaultSleep;

  /** The command as the domain reads it: an added client without an id gets a fresh one, the reason rides along. */
  const complete = (request: ClientCommandRequest, reason: string | null | undefined, ids?: CommandIds): ClientCommand =>
    request.type === 'AddClient'
      ? { ...request, reason, data: { ...request.data, id: request.data.id ?? (ids?.clientId ?? deps.newId)() } }
      : { ...request, reason };

  return {
    async execute(request, context) {
      // 1. Read and check the command's input, its reason included: bad input is refused before anything is loaded.
      const prepared = prepareCommand(complete(request, context.reason, context.ids));
      if (!prepared.ok) throw new ValidationError(prepared.violations);
      const { clientId, reason } = prepared.value;
      const expected = context.expectedVersion ?? null;
      const { ids } = context;
      const earlier = ids ? await earlierAttempt(deps, clientId, ids) : null;
      if (earlier) return earlier;
      let handled;
      try {
        // 2. Load the client, check the version the caller saw (only a client they may see), decide, append.
        handled = await handleCommand(
          deps.store,
          clientStreamId(clientId),
          CLIENT_STREAM,
          ({ events, state, revision }) => {
            const version = clientVersion(revision);
            if (expected !== null && expected !== version && isVisibleTo(state, request.tenantId)) throw staleVersion(expected, version);
            return prepared.value.decide(state, events);
          },
          {
            toEventData: (events) => {
              const recorded = metadataOf(request.tenantId, context, reason, deps.now());
              return events.map((event, index) => ({ id: ids ? ids.eventId(index) : deps.newId(), type: event.type, data: event.data, metadata: recorded }));
            },
            // A caller who named a version must look again rather than have the command decided anew.
            maxAttempts: expected === null ? maxAttempts : 1,
            backoff: (attempt) => sleep(Math.random() * Math.min(100, 2 ** attempt)),
          },
        );
      } catch (error) {
        // 3. Someone else wrote first, every time.
        throw error instanceof ConcurrencyError ? lostRace(error, expected, maxAttempts) : error;
      }
      const version = clientVersion(handled.revision);
      if (handled.events.length === 0) return { clientId, changed: false, version, position: handled.position!, stale: false };
      // 4. Answer once this instance's projections show the change (bounded).
      const caughtUp = await deps.waitForProjections(handled.position!, deps.readYourWritesTimeoutMs);
      return { clientId, changed: true, version, position: handled.position!, stale: !caughtUp };
    },

    check(request, context) {
      const prepared = prepareCommand(complete(request, context.reason));
      return prepared.ok ? [] : prepared.violations;
    },
  };
};
