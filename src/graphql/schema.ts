import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { DateTimeScalar } from './scalars';
import { AuditLogResolver } from './resolvers/auditLogResolver';
import { MutationResolver } from './resolvers/mutationResolver';
import { authChecker } from './resolvers/permissions';
import { QueryResolver } from './resolvers/queryResolver';

let built: GraphQLSchema | undefined;

/** The service's GraphQL schema, built once from the type-graphql classes. */
export const buildAppSchema = (): GraphQLSchema => {
  built ??= buildSchemaSync({
    resolvers: [QueryResolver, MutationResolver, AuditLogResolver],
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: { forbidUnknownValues: false },
  });
  return built;
};

/** The schema in SDL, sorted so the checked-in file diffs cleanly. */
export const printAppSchema = (): string => `${printSchema(lexicographicSortSchema(buildAppSchema()))}\n`;
