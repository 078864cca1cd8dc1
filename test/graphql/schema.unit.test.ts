import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type GraphQLInputObjectType } from 'graphql';
import { buildAppSchema, printAppSchema } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('is exactly the schema the code generates (run `npm run schema` after changing the API)', () => {
    const checkedIn = readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(printAppSchema()).toBe(checkedIn);
  });

  it('has the names the contract fixes', () => {
    const sdl = printAppSchema();
    for (const name of [
      'addAuthorizationCodeClient(input: AddAuthorizationCodeClientInput!): ClientPayload!',
      'updateAuthorizationCodeClient(input: UpdateAuthorizationCodeClientInput!): ClientPayload!',
      'renameAuthorizationCodeClient(input: RenameAuthorizationCodeClientInput!): ClientPayload!',
      'setTokenLifetime(input: SetTokenLifetimeInput!): ClientPayload!',
      'addRedirectUrl(input: AddRedirectUrlInput!): ClientPayload!',
      'removeRedirectUrl(input: RemoveRedirectUrlInput!): ClientPayload!',
      'addLogoutRedirectUrl(input: AddLogoutRedirectUrlInput!): ClientPayload!',
      'removeLogoutRedirectUrl(input: RemoveLogoutRedirectUrlInput!): ClientPayload!',
      'addCorsOrigin(input: AddCorsOriginInput!): ClientPayload!',
      'removeCorsOrigin(input: RemoveCorsOriginInput!): ClientPayload!',
      'enableAuthorizationCodeClient(input: EnableAuthorizationCodeClientInput!): ClientPayload!',
      'disableAuthorizationCodeClient(input: DisableAuthorizationCodeClientInput!): ClientPayload!',
      'deleteAuthorizationCodeClient(input: DeleteAuthorizationCodeClientInput!): ClientPayload!',
      'revertAuthorizationCodeClient(input: RevertAuthorizationCodeClientInput!): ClientPayload!',
      'me: Principal!',
      'version: Int!',
      'history(',
      'scalar DateTime',
    ]) {
      expect(sdl).toContain(name);
    }
  });

  it('has authorizationCodeClient(id: ID!, asOf: DateTime, version: Int): AuthorizationCodeClient and RevertAuthorizationCodeClientInput as the contract fixes them (in any order)', () => {
    const field = buildAppSchema().getQueryType()!.getFields().authorizationCodeClient;
    expect(String(field.type)).toBe('AuthorizationCodeClient');
    expect(Object.fromEntries(field.args.map((arg) => [arg.name, String(arg.type)]))).toEqual({ id: 'ID!', asOf: 'DateTime', version: 'Int' });
    const input = buildAppSchema().getType('RevertAuthorizationCodeClientInput') as GraphQLInputObjectType;
    expect(Object.fromEntries(Object.values(input.getFields()).map((f) => [f.name, String(f.type)]))).toEqual({
      clientId: 'ID!',
      toVersion: 'Int!',
      expectedVersion: 'Int',
      reason: 'String',
    });
  });

  it('has the subscriptions the contract fixes', () => {
    const sdl = printAppSchema();
    expect(sdl).toContain('auditEntryAdded(filter: AuditFilter): AuditEntry!');
    expect(sdl).toMatch(/authorizationCodeClientChanged\(\s*("""[^"]*"""\s*)?id: ID\s*\): AuthorizationCodeClient!/);
    expect(sdl).toMatch(/type AuthorizationCodeClient \{[^}]*deleted: Boolean!/);
  });
});
