import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { type ComplexityEstimator } from 'graphql-query-complexity';
import { LimitExceededError } from '../errors';
import { requestError } from './wireError';

/** Default bound on the mutation fields of one operation (MAX_MUTATIONS_PER_OPERATION). */
export const DEFAULT_MAX_MUTATIONS = 10;

/**
 * Most tokens (names, punctuation, values) one GraphQL document may have. GraphiQL's full
 * introspection query has about 250, and a document of ten mutations with literal inputs a few
 * hundred; parsing and validating stay a few milliseconds however the document is shaped.
 */
export const MAX_DOCUMENT_TOKENS = 10_000;

/**
 * LIMIT_EXCEEDED when `query` has more than MAX_DOCUMENT_TOKENS tokens; counted before the
 * document is parsed, and stopping at the bound. A document that does not lex is left to the parser.
 */
export const documentTokensError = (query: string): LimitExceededError | null => {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; count += 1) {
      if (count >= MAX_DOCUMENT_TOKENS) {
        const message = `The query has more than ${MAX_DOCUMENT_TOKENS} tokens; send a smaller document (use variables for values)`;
        return new LimitExceededError(message, { limit: 'tokens', max: MAX_DOCUMENT_TOKENS });
      }
    }
  } catch {
    return null;
  }
  return null;
};

/** Most `__schema` fields one operation may hold: GraphiQL and code generators ask for one. */
export const MAX_SCHEMA_INTROSPECTIONS = 2;

/** Most `auditLogIntegrity` fields one operation may hold: each replays every event of the store. */
export const MAX_INTEGRITY_CHECKS = 1;

/** Root fields whose work is the whole schema or the whole store, and how many of each one operation may hold. */
const WHOLE_WORK_FIELDS = [
  { field: '__schema', max: MAX_SCHEMA_INTROSPECTIONS, limit: 'introspection' },
  { field: 'auditLogIntegrity', max: MAX_INTEGRITY_CHECKS, limit: 'integrity' },
] as const;

/** The root fields an operation's selection holds that `counts`, through fragments; aliases count each. */
const rootFieldCount = (
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  counts: (name: string) => boolean,
  seen: Set<string> = new Set(),
): number => {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (counts(selection.name.value)) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, fragments, counts, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Each spread of the same fragment names the same response keys, so it runs its fields once.
      if (fragment === undefined || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      count += rootFieldCount(fragment.selectionSet, fragments, counts, seen);
    }
  }
  return count;
};

/** The mutation fields (all root fields but `__typename`) `operation` of `document` holds, through fragments. */
export const mutationFieldCount = (document: DocumentNode, operation: OperationDefinitionNode): number => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return rootFieldCount(operation.selectionSet, fragments, (name) => !name.startsWith('__'));
};

/**
 * Refuses a mutation operation with more than `max` mutation fields (each is a command, run one
 * after another), and any operation with more than MAX_SCHEMA_INTROSPECTIONS `__schema` fields
 * (each builds the whole schema's description in one go) or MAX_INTEGRITY_CHECKS
 * `auditLogIntegrity` fields (each replays every event).
 */
export const maxMutationsRule =
  (max: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        for (const { field, max: most, limit } of WHOLE_WORK_FIELDS) {
          const asked = rootFieldCount(operation.selectionSet, fragments, (name) => name === field);
          if (asked <= most) continue;
          const message = `The operation asks for ${field} ${asked} times; at most ${most} ${most === 1 ? 'is' : 'are'} allowed in one operation`;
          context.reportError(requestError(new LimitExceededError(message, { limit, max: most, actual: asked })));
        }
        if (operation.operation !== OperationTypeNode.MUTATION) return;
        const count = mutationFieldCount(context.getDocument(), operation);
        if (count > max) {
          const message = `The operation has ${count} mutations; at most ${max} are allowed in one operation (send the rest in further requests)`;
          context.reportError(requestError(new LimitExceededError(message, { limit: 'mutations', max, actual: count })));
        }
      },
    };
  };

/** How many items each list field of the introspection types answers, on average over this schema. */
const introspectionListSizes = (schema: GraphQLSchema): Readonly<Record<string, number>> => {
  const types = Object.values(schema.getTypeMap());
  let fields = 0;
  let fieldArgs = 0;
  let inputFields = 0;
  let enumValues = 0;
  let interfaces = 0;
  let possibleTypes = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const own = Object.values(type.getFields());
      fields += own.length;
      fieldArgs += own.reduce((sum, field) => sum + field.args.length, 0);
      interfaces += type.getInterfaces().length;
    }
    if (isInterfaceType(type)) possibleTypes += schema.getPossibleTypes(type).length;
    if (isInputObjectType(type)) inputFields += Object.keys(type.getFields()).length;
    if (isEnumType(type)) enumValues += type.getValues().length;
  }
  const directives = schema.getDirectives();
  const average = (total: number, over: number) => Math.max(1, Math.ceil(total / Math.max(over, 1)));
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': average(fields, types.length),
    '__Type.inputFields': average(inputFields, types.length),
    '__Type.enumValues': average(enumValues, types.length),
    '__Type.interfaces': average(interfaces, types.length),
    '__Type.possibleTypes': average(possibleTypes, types.length),
    '__Field.args': average(fieldArgs, fields),
    '__Directive.args': average(
      directives.reduce((sum, directive) => sum + directive.args.length, 0),
      directives.length,
    ),
  };
};

/**
 * Cost of introspection by the work it does: each list of the introspection types (`types`,
 * `fields`, `args`, ...) multiplies what it selects by how many items it answers in this schema,
 * so one `__schema` is priced as the answer it builds and aliased copies add up. Other fields
 * are left to the next estimator.
 */
export const introspectionEstimator = (schema: GraphQLSchema): ComplexityEstimator => {
  const sizes = introspectionListSizes(schema);
  return ({ type, field, childComplexity }) => {
    if (!type.name.startsWith('__') && !field.name.startsWith('__')) return undefined;
    return 1 + (sizes[`${type.name}.${field.name}`] ?? 1) * childComplexity;
  };
};

/** Bytes of a validated input that cost one unit: checking an input is work in proportion to its size. */
const VALIDATE_BYTES_PER_COST = 30;

/** What one validation costs at least, as much as a mutation's own checks. */
const VALIDATE_BASE_COST = 10;

/** Complexity of validateAuthorizationCodeClient: its base, plus its input's size (aliases sharing one large variable each pay for it). */
export const validateComplexity = ({ args }: { args: Record<string, unknown> }): number =>
  VALIDATE_BASE_COST + Math.ceil(Buffer.byteLength(JSON.stringify(args.input ?? null)) / VALIDATE_BYTES_PER_COST);

/** What reading a client as it was costs beyond a read of the read model: it folds the client's whole stream. */
const TIME_TRAVEL_COST = 100;

/** Complexity of authorizationCodeClient: one read of the read model, or a fold of the client's events with `asOf` or `version`. */
export const clientReadComplexity = ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number =>
  (args.asOf == null && args.version == null ? 1 : TIME_TRAVEL_COST) + childComplexity;
