import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { type ClientCommandRequest } from '../../application/clientCommandHandler';
import { idempotentCommandIds } from '../../application/idempotentIds';
import { type GraphQLContext } from '../context';
import {
  AddAuthorizationCodeClientInput,
  AddCorsOriginInput,
  AddLogoutRedirectUrlInput,
  AddRedirectUrlInput,
  DeleteAuthorizationCodeClientInput,
  DisableAuthorizationCodeClientInput,
  EnableAuthorizationCodeClientInput,
  RemoveCorsOriginInput,
  RemoveLogoutRedirectUrlInput,
  RemoveRedirectUrlInput,
  RenameAuthorizationCodeClientInput,
  RevertAuthorizationCodeClientInput,
  SetTokenLifetimeInput,
  UpdateAuthorizationCodeClientInput,
} from '../inputs/mutationInputs';
import { ClientPayload } from '../types/client';
import { addClientData, settingsOf } from './clientSettings';
import { WRITE } from './permissions';

type Request = ClientCommandRequest extends infer R ? (R extends { tenantId: string } ? Omit<R, 'tenantId'> : never) : never;

/** Runs one command for the caller and answers the client as the read model now shows it. */
const run = async (
  context: GraphQLContext,
  request: Request,
  input: { expectedVersion?: number | null; reason?: string | null },
): Promise<ClientPayload> => {
  const { principal, services, operationId, correlationId, idempotency } = context;
  // Each mutation of a keyed request, in the order GraphQL runs them (one after another), derives its own ids.
  const ids = idempotency ? idempotentCommandIds(idempotency.request, idempotency.commands++) : undefined;
  const outcome = await services.commands.execute({ ...request, tenantId: principal.tenantId }, {
    actor: { id: principal.id, name: principal.name },
    operationId,
    correlationId,
    expectedVersion: input.expectedVersion,
    reason: input.reason,
    ids,
  });
  if (outcome.stale) context.stale = true;
  return {
    client: services.readModel.getClient(principal.tenantId, outcome.clientId),
    changed: outcome.changed,
    operationId,
    position: services.positions.seal(principal.tenantId, outcome.position),
  };
};

/** Every change to clients; each is one command, recorded as events. */
@Resolver()
export class MutationResolver {
  @Authorized(WRITE)
  @Mutation(() => ClientPayload, { description: 'Register a new authorization code client; answers its Client Id.' })
  addAuthorizationCodeClient(@Arg('input') input: AddAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'AddClient', data: addClientData(input) }, { reason: input.reason });
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload, { description: 'Change any subset of a client’s settings in one step.' })
  updateAuthorizationCodeClient(@Arg('input') input: UpdateAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'UpdateClient', data: { clientId: input.clientId, ...settingsOf(input) } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  renameAuthorizationCodeClient(@Arg('input') input: RenameAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'RenameClient', data: { clientId: input.clientId, name: input.name } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  setTokenLifetime(@Arg('input') input: SetTokenLifetimeInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'SetTokenLifetime', data: { clientId: input.clientId, seconds: input.seconds } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload, { description: 'Allow one more redirect URL; already allowed answers changed: false.' })
  addRedirectUrl(@Arg('input') input: AddRedirectUrlInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'AddRedirectUrl', data: { clientId: input.clientId, url: input.url } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload, { description: 'Stop allowing a redirect URL; the last one cannot be removed.' })
  removeRedirectUrl(@Arg('input') input: RemoveRedirectUrlInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'RemoveRedirectUrl', data: { clientId: input.clientId, url: input.url } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  addLogoutRedirectUrl(@Arg('input') input: AddLogoutRedirectUrlInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'AddLogoutRedirectUrl', data: { clientId: input.clientId, url: input.url } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  removeLogoutRedirectUrl(@Arg('input') input: RemoveLogoutRedirectUrlInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'RemoveLogoutRedirectUrl', data: { clientId: input.clientId, url: input.url } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  addCorsOrigin(@Arg('input') input: AddCorsOriginInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'AddCorsOrigin', data: { clientId: input.clientId, origin: input.origin } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  removeCorsOrigin(@Arg('input') input: RemoveCorsOriginInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'RemoveCorsOrigin', data: { clientId: input.clientId, origin: input.origin } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  enableAuthorizationCodeClient(@Arg('input') input: EnableAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'EnableClient', data: { clientId: input.clientId } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload)
  disableAuthorizationCodeClient(@Arg('input') input: DisableAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'DisableClient', data: { clientId: input.clientId } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload, {
    description:
      'Give every setting back its value at `toVersion` (lists as sets), recorded as the ordinary events of each change so the audit trail shows what the revert changed; nothing differing answers changed: false. A value that today’s rules refuse refuses the revert, named at its setting.',
  })
  revertAuthorizationCodeClient(@Arg('input') input: RevertAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'RevertClient', data: { clientId: input.clientId, toVersion: input.toVersion } }, input);
  }

  @Authorized(WRITE)
  @Mutation(() => ClientPayload, { description: 'Delete a client for good; its id is never reused and its history stays.' })
  deleteAuthorizationCodeClient(@Arg('input') input: DeleteAuthorizationCodeClientInput, @Ctx() context: GraphQLContext) {
    return run(context, { type: 'DeleteClient', data: { clientId: input.clientId } }, input);
  }
}
