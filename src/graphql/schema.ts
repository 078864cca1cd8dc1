import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { DateTimeScalar } from './scalars';
import { AuditEntryResolver } from './resolvers/auditEntryResolver';
import { AuditLogResolver } from './resolvers/auditLogResolver';
import { MutationResolver } from './resolvers/mutationResolver';
import { authChecker } from './resolvers/permissions';
import { QueryResolver } from './resolvers/queryResolver';
import { SubscriptionResolver } from './resolvers/subscriptionResolver';

let built: GraphQLSchema | undefined;

/** type-graphql asks for a PubSub whenever there are subscriptions; ours bring their own `subscribe` (the live feed), so it is never used. */
const unusedPubSub = {
  publish: () => {
    throw new Error('Subscriptions read the live feed; nothing is published through type-graphql');
  },
  subscribe: () => {
    throw new Error('Subscriptions read the live feed; nothing is subscribed through type-graphql');
  },
};

/** The service's GraphQL schema, built once from the type-graphql classes. */
export const buildAppSchema = (): GraphQLSchema => {
  built ??= buildSchemaSync({
    resolvers: [QueryResolver, MutationResolver, AuditLogResolver, SubscriptionResolver, AuditEntryResolver],
    pubSub: unusedPubSub,
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: { forbidUnknownValues: false },
  });
  return built;
};

/** The schema in SDL, sorted so the checked-in file diffs cleanly. */
export const printAppSchema = (): string => `${printSchema(lexicographicSortSchema(buildAppSchema()))}\n`;
