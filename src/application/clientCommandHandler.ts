import {
  type Actor,
  type AddClient,
  type ClientCommand,
  type ClientState,
  EVENT_SCHEMA_VERSION,
  type EventMetadata,
  clientStreamId,
  commandClientId,
  decide,
  evolve,
  initialState,
  isVisibleTo,
  parseClientId,
  parseReason,
  readClientEvent,
} from '../domain/client';
import { ConflictError, ValidationError, type Violation } from '../errors';
import { ConcurrencyError, type EventStore, type JsonObject, type Position } from '../eventstore';

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

interface LoadedClient {
  state: ClientState;
  revision: bigint | null;
  position: Position | null;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const versionOf = (revision: bigint | null): number => (revision === null ? 0 : Number(revision) + 1);

const violationsOf = (reason: string | null | undefined): { reason: string | null; violations: Violation[] } => {
  if (reason === null || reason === undefined) return { reason: null, violations: [] };
  const parsed = parseReason(reason, { field: 'reason' });
  return parsed.ok ? { reason: parsed.value, violations: [] } : { reason: null, violations: parsed.violations };
};

/** Creates the command handler. */
export const createClientCommandHandler = (deps: ClientCommandHandlerDeps): ClientCommandHandler => {
  const maxAttempts = deps.maxAttempts ?? 20;
  const sleep = deps.sleep ?? defaultSleep;

  const load = async (streamId: string): Promise<LoadedClient> => {
    const read = await deps.store.readStream(streamId);
    let state = initialState;
    for (const recorded of read.events) state = evolve(state, readClientEvent(recorded).event);
    const last = read.events.at(-1);
    return { state, revision: last?.revision ?? null, position: last?.position ?? null };
  };

  /** Decides, reporting a bad reason together with the command's own violations. */
  const decideWithReason = (command: ClientCommand, state: ClientState, reasonViolations: Violation[]) => {
    let events;
    try {
      events = decide(command, state);
    } catch (error) {
      if (error instanceof ValidationError && reasonViolations.length > 0) {
        throw new ValidationError([...error.violations, ...reasonViolations]);
      }
      throw error;
    }
    if (reasonViolations.length > 0) throw new ValidationError(reasonViolations);
    return events;
  };

  /** Completes the command and checks what needs no state: its reason, and that its id names a stream. */
  const prepare = (request: ClientCommandRequest, context: Pick<CommandContext, 'reason'>) => {
    const command: ClientCommand =
      request.type === 'AddClient'
        ? { ...request, data: { ...request.data, id: request.data.id ?? deps.newId() } }
        : request;
    const { reason, violations: reasonViolations } = violationsOf(context.reason);
    const id = parseClientId(commandClientId(command), { field: command.type === 'AddClient' ? 'id' : 'clientId' });
    if (!id.ok) {
      decideWithReason(command, initialState, reasonViolations);
      throw new ValidationError([...id.violations, ...reasonViolations]);
    }
    return { command, reason, reasonViolations, clientId: id.value };
  };

  return {
    async execute(request, context) {
      // 1. Complete the command (an added client without an id gets a fresh one); an id that is
      //    no UUID names no stream, so it is reported here with every other broken rule.
      const { command, reason, reasonViolations, clientId } = prepare(request, context);
      const streamId = clientStreamId(clientId);

      for (let attempt = 1; ; attempt += 1) {
        // 2. Load the client's current state from its stream.
        const loaded = await load(streamId);
        const version = versionOf(loaded.revision);
        if (
          context.expectedVersion !== undefined &&
          context.expectedVersion !== null &&
          context.expectedVersion !== version &&
          isVisibleTo(loaded.state, command.tenantId)
        ) {
          throw staleVersion(context.expectedVersion, version);
        }

        // 3. Decide; nothing to record means nothing changes.
        const events = decideWithReason(command, loaded.state, reasonViolations);
        if (events.length === 0) {
          return { clientId, changed: false, version, position: loaded.position!, stale: false };
        }

        // 4. Append, expecting the stream exactly as it was read.
        const metadata: EventMetadata = {
          schemaVersion: EVENT_SCHEMA_VERSION,
          tenantId: command.tenantId,
          actor: context.actor,
          operationId: context.operationId,
          correlationId: context.correlationId,
          causationId: context.operationId,
          occurredAt: deps.now().toISOString(),
          reason,
        };
        try {
          const appended = await deps.store.appendToStream(
            streamId,
            events.map((event) => ({
              id: deps.newId(),
              type: event.type,
              data: event.data,
              metadata: metadata as unknown as JsonObject,
            })),
            { expectedRevision: loaded.revision ?? 'no_stream' },
          );
          // 5. Answer once this instance's projections show the change (bounded).
          const caughtUp = await deps.waitForProjections(appended.position, deps.readYourWritesTimeoutMs);
          return {
            clientId,
            changed: true,
            version: versionOf(appended.nextExpectedRevision),
            position: appended.position,
            stale: !caughtUp,
          };
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          // 6. Someone else wrote first: a caller who named a version must look again; others retry.
          if (context.expectedVersion !== undefined && context.expectedVersion !== null) {
            const current = versionOf((await load(streamId)).revision);
            throw staleVersion(context.expectedVersion, current);
          }
          if (attempt >= maxAttempts) {
            throw new ConflictError(`The client changed ${maxAttempts} times while this command was decided; try again`, {}, { cause: error });
          }
          await sleep(Math.random() * Math.min(100, 2 ** attempt));
        }
      }
    },

    check(request, context) {
      try {
        const { command, reasonViolations } = prepare(request, context);
        decideWithReason(command, initialState, reasonViolations);
        return [];
      } catch (error) {
        if (error instanceof ValidationError) return error.violations;
        throw error;
      }
    },
  };
};

const staleVersion = (expected: number, current: number) =>
  new ConflictError(`The client is at version ${current}, not the expected ${expected}; reload it and try again`, {
    currentVersion: current,
  });
