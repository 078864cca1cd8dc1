import { validate } from 'class-validator';
import { Arg, ArgumentValidationError, Authorized, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { type AuditEntryView, type ChangedClient, type ClientView } from '../../readmodel';
import { type GraphQLContext } from '../context';
import { AuditFilter } from '../inputs/queryInputs';
import { AuditEntry } from '../types/audit';
import { AuthorizationCodeClient } from '../types/client';
import { READ } from './permissions';

/** What a subscription's `subscribe` is given by type-graphql: the raw (coerced, unvalidated) arguments and the context. */
interface SubscribeData<Args> {
  args: Args;
  context: GraphQLContext;
}

/**
 * The filter checked as the query checks it (type-graphql checks a subscription's arguments only
 * when an event is resolved; a bad filter must be refused when subscribing).
 */
const checkedFilter = async (raw: AuditFilter | null | undefined): Promise<AuditFilter> => {
  const filter = Object.assign(new AuditFilter(), raw ?? {});
  // The options type-graphql checks arguments with, so the violations are the query's.
  const errors = await validate(filter, { forbidUnknownValues: false, skipMissingProperties: true });
  if (errors.length > 0) throw new ArgumentValidationError(errors);
  return filter;
};

const AUDIT_ENTRY_ADDED = `Each audit entry of your tenant as it is added to the audit trail (after the change is committed, so \`auditTrail\` already lists it), if it matches \`filter\` (the same conditions as \`auditTrail\`'s). Over graphql-ws at /graphql, the token in the connection parameters: \`{ "authorization": "Bearer <JWT>" }\`.`;

const CLIENT_CHANGED = `Your tenant's client \`id\` (without \`id\`: every client of your tenant) as it is after each committed change (what \`authorizationCodeClient\` answers at that moment), with the \`version\` to pass as \`expectedVersion\`. Changes committed together (one update) arrive once, as their result. A deletion arrives as the client's last settings with \`deleted: true\` and the deletion's \`version\` and \`updatedAt\`; queries answer null for it from then on.`;

/** Subscriptions over the live feed: each tenant sees its own changes only, once the read model holds them. */
@Resolver(() => AuthorizationCodeClient)
export class SubscriptionResolver {
  @Authorized(READ)
  @Subscription(() => AuditEntry, {
    description: AUDIT_ENTRY_ADDED,
    subscribe: async ({ args, context }: SubscribeData<{ filter?: AuditFilter | null }>) =>
      context.services.live.auditEntries(context.principal.tenantId, await checkedFilter(args.filter)),
  })
  auditEntryAdded(
    @Root() entry: AuditEntryView,
    // Declared for the schema; the filter is applied when subscribing.
    @Arg('filter', () => AuditFilter, { nullable: true }) _filter: AuditFilter | null,
  ): AuditEntryView {
    return entry;
  }

  @Authorized(READ)
  @Subscription(() => AuthorizationCodeClient, {
    description: CLIENT_CHANGED,
    subscribe: ({ args, context }: SubscribeData<{ id?: string | null }>) =>
      context.services.live.clientChanges(context.principal.tenantId, args.id ?? null),
  })
  authorizationCodeClientChanged(
    @Root() client: ChangedClient,
    @Arg('id', () => ID, { nullable: true, description: 'The client to follow; without it, every client of your tenant.' }) _id: string | null,
  ): ChangedClient {
    return client;
  }

  @FieldResolver(() => Boolean, {
    description: 'True only for the client as its deletion left it, which `authorizationCodeClientChanged` delivers; queries never answer a deleted client.',
  })
  deleted(@Root() client: ClientView & { deleted?: boolean }): boolean {
    return client.deleted === true;
  }
}
