import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { canWrite } from '../../auth';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../readmodel';
import { toConnection } from '../connection';
import { type GraphQLContext } from '../context';
import { connectionComplexity } from '../limits';
import { clientReadComplexity, validateComplexity } from '../operationLimits';
import { AddAuthorizationCodeClientInput } from '../inputs/mutationInputs';
import { AuditFilter, ClientFilter, ClientOrder, ClientOrderField, OrderDirection } from '../inputs/queryInputs';
import { AuditEntryConnection } from '../types/audit';
import { AuthorizationCodeClient, AuthorizationCodeClientConnection } from '../types/client';
import { Principal } from '../types/principal';
import { RedirectUrlMatch } from '../types/redirectMatch';
import { Violation } from '../types/violation';
import { DateTimeScalar } from '../scalars';
import { addClientData } from './clientSettings';
import { redirectUrlMatchOf } from './redirectMatch';
import { type ClientRoot, pastClientRoot } from './pastClient';
import { READ } from './permissions';

const PAGE = `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.`;

/** Forward paging arguments. */
@ArgsType()
class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: PAGE })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/** Forward and backward paging arguments. */
@ArgsType()
class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: PAGE })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

/** Queries over the read model, and the check of an add; every one scoped to the caller's tenant. */
@Resolver(() => AuthorizationCodeClient)
export class QueryResolver {
  @Query(() => Principal, { description: 'The caller, as their token says.' })
  me(@Ctx() { principal }: GraphQLContext): Principal {
    return { ...principal, canManageClients: canWrite(principal) };
  }

  @Authorized(READ)
  @Query(() => AuthorizationCodeClient, {
    nullable: true,
    complexity: clientReadComplexity,
    description:
      'One client; null when absent, deleted or not yours. With `asOf` or `version` (not both): the client exactly as it was then, folded from its events, a deleted one as it was before it was deleted; null when it did not exist then.',
  })
  async authorizationCodeClient(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => DateTimeScalar, { nullable: true, description: 'The client as it was at this moment: after its last change at or before it.' })
    asOf: Date | null,
    @Arg('version', () => Int, { nullable: true, description: 'The client as it was at this version: after its first `version` events (1: as created).' })
    version: number | null,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<ClientRoot | null> {
    if (asOf == null && version == null) return services.readModel.getClient(principal.tenantId, id);
    const past = await services.timeTravel.clientAt(principal.tenantId, id, { asOf, version });
    return past && pastClientRoot(past);
  }

  @Authorized(READ)
  @Query(() => AuthorizationCodeClientConnection, {
    description: "The tenant's clients, filtered, ordered and paged.",
    complexity: connectionComplexity,
  })
  authorizationCodeClients(
    @Arg('filter', () => ClientFilter, { nullable: true }) filter: ClientFilter | null,
    @Arg('orderBy', () => ClientOrder, { nullable: true, description: 'Default: NAME ASC.' }) orderBy: ClientOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() { principal, services }: GraphQLContext,
  ) {
    const order = orderBy ?? { field: ClientOrderField.NAME, direction: OrderDirection.ASC };
    return toConnection(services.readModel.listClients(principal.tenantId, filter ?? {}, order, page));
  }

  @Authorized(READ)
  @Query(() => AuditEntryConnection, { description: "The tenant's audit trail, newest first.", complexity: connectionComplexity })
  auditTrail(
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null,
    @Args(() => ForwardPageArgs) page: ForwardPageArgs,
    @Ctx() { principal, services }: GraphQLContext,
  ) {
    return toConnection(services.readModel.listAuditEntries(principal.tenantId, filter ?? {}, page));
  }

  @Authorized(READ)
  @Query(() => [Violation], {
    description:
      'The rules `input` breaks, exactly as addAuthorizationCodeClient would report them in `violations`; empty when it would be accepted. Changes nothing and records nothing. Whether a supplied id is already taken is known only when adding.',
    complexity: validateComplexity,
  })
  validateAuthorizationCodeClient(
    @Arg('input') input: AddAuthorizationCodeClientInput,
    @Ctx() { principal, services }: GraphQLContext,
  ): Violation[] {
    return services.commands.check({ type: 'AddClient', tenantId: principal.tenantId, data: addClientData(input) }, { reason: input.reason });
  }

  @Authorized(READ)
  @Query(() => RedirectUrlMatch, {
    description:
      "Whether `url`, presented as redirect_uri at sign-in, matches the client's allowed redirect URLs, and when it does not, the nearest one with each difference named. NOT_FOUND when the client is absent, deleted or not yours.",
  })
  matchRedirectUrl(
    @Arg('clientId', () => ID) clientId: string,
    @Arg('url', () => String, { description: 'The redirect URL exactly as the app sends it.' }) url: string,
    @Ctx() { principal, services }: GraphQLContext,
  ): RedirectUrlMatch {
    return redirectUrlMatchOf(services.readModel.getClient(principal.tenantId, clientId), clientId, url);
  }

  @FieldResolver(() => AuditEntryConnection, {
    description:
      "This client's audit entries, newest first. For a client read as it was (`asOf` or `version`), the entries up to that version only: its history as it stood then.",
    complexity: connectionComplexity,
  })
  history(@Root() client: ClientRoot, @Args(() => ForwardPageArgs) page: ForwardPageArgs, @Ctx() { principal, services }: GraphQLContext) {
    const filter = { clientId: client.id, throughEventId: client.historyThrough };
    return toConnection(services.readModel.listAuditEntries(principal.tenantId, filter, page));
  }
}
