import { type ClientCommandHandler, type CommandContext } from '../application/clientCommandHandler';
import {
  type Actor,
  type ClientState,
  clientStreamId,
  evolve,
  holdsRegistrationToken,
  initialState,
  readClientEvent,
  registrationOf,
} from '../domain/client';
import { AppError, NotFoundError, UnauthenticatedError, ValidationError } from '../errors';
import { type EventStore } from '../eventstore';
import { UUID_PATTERN } from '../jsutils';
import { clientMetadata, readRequestedMetadata } from './metadata';
import { RegistrationError, fromViolations, invalidMetadata, invalidToken } from './registrationError';
import { hashRegistrationToken, newRegistrationToken } from './token';

/** What the registration service needs: the command handler, the store to read clients from, and ids. */
export interface RegistrationServiceDeps {
  commands: ClientCommandHandler;
  store: EventStore;
  newId: () => string;
}

/** A registration answer: the RFC metadata, and the fields the request carried that were ignored. */
export interface RegistrationAnswer {
  body: Record<string, unknown>;
  ignored: string[];
}

/** Who asks and as part of which operation (the actor recorded in the events). */
export type RegistrationCaller = Pick<CommandContext, 'operationId' | 'correlationId'> & { actor: Actor };

/** The actor recorded for changes made with a client's registration access token. */
export const registrationTokenActor = (clientId: string): Actor => ({ id: `registration-token:${clientId}`, name: 'Registration access token' });

/** A client as its stream folds now, with when it was created and in which tenant. */
const readClient = async (store: EventStore, clientId: string) => {
  const { events } = await store.readStream(clientStreamId(clientId));
  const read = events.map((recorded) => readClientEvent(recorded));
  const state: ClientState = read.reduce((folded, { event }) => evolve(folded, event), initialState);
  return { state, createdAt: new Date(read[0]?.metadata.occurredAt ?? 0) };
};

/** The domain's refusals in RFC words; anything else goes on as it is. */
const translate = (error: unknown, given: Record<string, unknown>): never => {
  if (error instanceof ValidationError) throw fromViolations(error.violations, given);
  if (error instanceof UnauthenticatedError || error instanceof NotFoundError) throw invalidToken(error.message);
  if (error instanceof AppError || error instanceof RegistrationError) throw error;
  throw error;
};

/** The answer for a client as stored, with `token` when one was just issued. */
const answer = async (store: EventStore, clientId: string, ignored: string[], token?: string): Promise<RegistrationAnswer> => {
  const { state, createdAt } = await readClient(store, clientId);
  if (state.status !== 'active') throw invalidToken('The client does not exist');
  const body = { ...clientMetadata(state.client, registrationOf(state)?.applicationType ?? null, createdAt), ...(token ? { registration_access_token: token } : {}) };
  return { body, ignored };
};

/** The client the token is for, or invalid_token: the stream is read once to find its tenant. */
const authorize = async (store: EventStore, clientId: string, token: string) => {
  const id = clientId.toLowerCase();
  if (!UUID_PATTERN.test(id)) throw invalidToken('No such client');
  const { state } = await readClient(store, id);
  if (state.status !== 'active' || !holdsRegistrationToken(state, hashRegistrationToken(token))) {
    throw invalidToken('The registration access token is not valid for this client: wrong, rotated, or revoked');
  }
  return { id, tenantId: state.client.tenantId };
};

/** The ReplaceRegisteredClient a PUT asks for: the full metadata, its own client id only, and the next token's hash. */
const replaceCommand = (id: string, tenantId: string, token: string, next: string, body: unknown) => {
  const requested = readRequestedMetadata(body);
  const given = body as Record<string, unknown>;
  if (given.client_id !== undefined && JSON.stringify(given.client_id).toLowerCase() !== JSON.stringify(id)) {
    throw invalidMetadata(`client_id ${JSON.stringify(given.client_id)} must be the client's own id, ${id}`);
  }
  const data = {
    clientId: id,
    ...requested.settings,
    applicationType: requested.applicationType,
    presentedTokenHash: hashRegistrationToken(token),
    tokenHash: hashRegistrationToken(next),
  };
  return { command: { type: 'ReplaceRegisteredClient' as const, tenantId, data }, requested, given };
};

/** Registration (RFC 7591) and management (RFC 7592) over the ordinary command path. */
export const createRegistrationService = ({ commands, store, newId }: RegistrationServiceDeps) => {
  return {
    /** Registers a client for `tenantId` (RFC 7591 §3.1); the caller is the initial access token's administrator, or anonymous. */
    async register(tenantId: string, body: unknown, caller: RegistrationCaller): Promise<RegistrationAnswer> {
      const requested = readRequestedMetadata(body);
      const token = newRegistrationToken();
      const data = { id: newId(), ...requested.settings, applicationType: requested.applicationType, tokenHash: hashRegistrationToken(token) };
      const outcome = await commands.execute({ type: 'RegisterClient', tenantId, data }, caller).catch((error: unknown) => translate(error, body as Record<string, unknown>));
      return answer(store, outcome.clientId, requested.ignored, token);
    },

    /** The client's metadata (RFC 7592 §2.1). */
    async read(clientId: string, token: string): Promise<RegistrationAnswer> {
      const { id } = await authorize(store, clientId, token);
      return answer(store, id, []);
    },

    /** Replaces the client's metadata and rotates its token (RFC 7592 §2.2). */
    async replace(clientId: string, token: string, body: unknown, context: Pick<CommandContext, 'operationId' | 'correlationId'>): Promise<RegistrationAnswer> {
      const { id, tenantId } = await authorize(store, clientId, token);
      const next = newRegistrationToken();
      const { command, requested, given } = replaceCommand(id, tenantId, token, next, body);
      await commands.execute(command, { ...context, actor: registrationTokenActor(id) }).catch((error: unknown) => translate(error, given));
      return answer(store, id, requested.ignored, next);
    },

    /** Deletes the client, which revokes its token (RFC 7592 §2.3). */
    async remove(clientId: string, token: string, context: Pick<CommandContext, 'operationId' | 'correlationId'>): Promise<void> {
      const { id, tenantId } = await authorize(store, clientId, token);
      await commands
        .execute({ type: 'DeleteRegisteredClient', tenantId, data: { clientId: id, presentedTokenHash: hashRegistrationToken(token) } }, { ...context, actor: registrationTokenActor(id) })
        .catch((error: unknown) => translate(error, {}));
    },
  };
};

/** The registration service. */
export type RegistrationService = ReturnType<typeof createRegistrationService>;
