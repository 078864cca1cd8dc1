import 'reflect-metadata';
import { getIntrospectionQuery, parse } from 'graphql';
import { checkQueryCost } from '../../src/graphql/limits';
import { documentTokensError } from '../../src/graphql/operationLimits';
import { buildAppSchema } from '../../src/graphql/schema';

const DEEP = 'types { name kind fields { name args { name type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name } } } } inputFields { name type { name kind } } enumValues { name } }';

describe('the cost of introspection and of validation, by their work', () => {
  const schema = buildAppSchema();
  /** The operation's cost as checkQueryCost works it out. */
  const costOf = (query: string, variables: Record<string, unknown> = {}): number => {
    try {
      checkQueryCost(schema, parse(query), undefined, variables, 0);
    } catch (error) {
      return (error as { originalError: { details: { actual: number } } }).originalError.details.actual;
    }
    throw new Error('a cost limit of 0 refuses everything');
  };

  it('prices GraphiQL’s introspection query at well under the default limit of 50,000', () => {
    const graphiql = costOf(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true }));
    expect(graphiql).toBeGreaterThan(5_000);
    expect(graphiql).toBeLessThan(25_000);
  });

  it('prices each introspection list by how many items it answers, so aliased copies add up (16 deep copies pass the limit)', () => {
    const one = costOf(`{ __schema { ${DEEP} } }`);
    const typesOnly = costOf('{ __schema { types { name } } }');
    expect(typesOnly).toBe(2 + Object.keys(schema.getTypeMap()).length);
    expect(one).toBeGreaterThan(2_000);
    expect(costOf(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __schema { ${DEEP} }`).join(' ')} }`)).toBeGreaterThan(50_000);
  });

  it('prices a validation by the size of its input', () => {
    const query = 'query($input: AddAuthorizationCodeClientInput!) { validateAuthorizationCodeClient(input: $input) { rule } }';
    const small = costOf(query, { input: { name: 'a', allowedRedirectUrls: ['https://a.example/cb'] } });
    const large = costOf(query, { input: { name: 'a', allowedRedirectUrls: ['https://a.example/cb'], reason: 'r'.repeat(30_000) } });
    expect(small).toBeLessThan(20);
    expect(large).toBeGreaterThan(1_000);
  });

  it('counts a document’s tokens up to 10,000 before anything parses it', () => {
    expect(documentTokensError(`{ ${'me { id } '.repeat(2000)} }`)).toBeNull();
    expect(documentTokensError(`{ ${'me { id } '.repeat(2600)} }`)).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'tokens', max: 10_000 } });
    expect(documentTokensError('{ "unterminated')).toBeNull();
  });
});
