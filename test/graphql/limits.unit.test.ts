import { parse, validate } from 'graphql';
import { maxDepthRule } from '../../src/graphql/limits';
import { buildAppSchema } from '../../src/graphql/schema';

/** A chain of fragments, each spreading the next one twice: 2^n spreads if walked naively. */
const fragmentChain = (links: number, leaf: string) =>
  [
    '{ ...F0 }',
    ...Array.from({ length: links }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`),
    `fragment F${links} on Query { ${leaf} }`,
  ].join('\n');

describe('maxDepthRule', () => {
  const schema = buildAppSchema();
  const depthErrors = (query: string, max: number) =>
    validate(schema, parse(query), [maxDepthRule(max)]).map((error) => error.originalError?.message ?? error.message);

  it('counts fields through fragments and inline fragments, not introspection', () => {
    expect(depthErrors('{ authorizationCodeClients { nodes { createdBy { id } } } }', 4)).toEqual([]);
    expect(depthErrors('{ authorizationCodeClients { nodes { createdBy { id } } } }', 3)).toEqual([
      'The query is nested 4 fields deep; at most 3 are allowed',
    ]);
    expect(depthErrors('{ ... on Query { authorizationCodeClients { ...P } } } fragment P on AuthorizationCodeClientConnection { nodes { id } }', 2)).toEqual([
      'The query is nested 3 fields deep; at most 2 are allowed',
    ]);
    expect(depthErrors('{ __schema { types { fields { type { ofType { name } } } } } }', 1)).toEqual([]);
  });

  it('measures a fragment once however often it is spread (a 60-link chain would otherwise take 2^60 walks)', () => {
    expect(depthErrors(fragmentChain(60, 'me { id }'), 12)).toEqual([]);
    expect(depthErrors(fragmentChain(60, 'authorizationCodeClients { nodes { createdBy { id } } }'), 3)).toEqual([
      'The query is nested 4 fields deep; at most 3 are allowed',
    ]);
  });
});
