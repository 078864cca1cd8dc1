import { ConflictError, ValidationError } from '../../errors';
import { type ClientEvent, type ClientState } from './client';
import {
  type AddClient,
  type AddCorsOrigin,
  type AddLogoutRedirectUrl,
  type AddRedirectUrl,
  type ClientCommand,
  type RemoveCorsOrigin,
  type RemoveLogoutRedirectUrl,
  type RemoveRedirectUrl,
  type RevertClient,
} from './commands';
import { type Plan, changeSettings, checkAfter, onClient } from './plan';
import { deleteRegisteredClient, registerClient, replaceRegisteredClient } from './registration';
import { clientAtVersion, revertChanges } from './revert';
import { parseSettings } from './settings';
import {
  LIMITS,
  type FieldRef,
  type Parsed,
  accept,
  parseClientId,
  parseClientName,
  parseCorsOrigin,
  parseReason,
  parseRedirectUrl,
  parseTokenLifetime,
  parseVersionNumber,
} from './values';
import { Violations } from './violations';

/** A command whose input has been read and checked, ready to be decided on the client's state. */
export interface PreparedCommand extends Plan {
  /** The reason as it is recorded (trimmed, line breaks as LF), or null when none was given. */
  reason: string | null;
  /**
   * The events the command leads to on `state` (none when nothing would change), or NotFoundError,
   * ConflictError, UnauthenticatedError (a registration access token that is not the client's), or
   * a ValidationError for rules that depend on the client as it is. `history` is the client's
   * events, oldest first, that `state` is the fold of; a revert reads it (to find the client as it
   * was) and so does a registration command (to find the client's current token).
   */
  decide(state: ClientState, history?: readonly ClientEvent[]): ClientEvent[];
}

/**
 * What to remove from a list: the value exactly as stored if present (so values stored under
 * older rules can still be removed), else its normal form; a value that could never have been
 * stored is refused.
 */
const valueToRemove = (
  list: readonly string[],
  raw: string,
  parse: (raw: string, at: FieldRef) => Parsed<string>,
  at: FieldRef,
): string | null => {
  const trimmed = raw.trim();
  if (list.includes(trimmed)) return trimmed;
  const parsed = parse(raw, at);
  if (!parsed.ok) throw new ValidationError(parsed.violations);
  return list.includes(parsed.value) ? parsed.value : null;
};

/** A plan that creates the client (the events after ClientCreated, such as a registration's token, are `also`'s). */
const addClient = (command: AddClient, input: Violations, also: (clientId: string) => ClientEvent[] = () => []): Plan => {
  const id = input.take(parseClientId(command.data.id, { field: 'id' }));
  const settings = parseSettings(command.data, input);
  const clientId = id ?? command.data.id;
  return {
    clientId,
    decide(state) {
      if (state.status !== 'absent') throw new ConflictError(`A client with id ${clientId} already exists; client ids are never reused`);
      const created: ClientEvent = {
        type: 'ClientCreated',
        data: {
          clientId,
          tenantId: command.tenantId,
          name: settings.name!,
          enabled: settings.enabled ?? true,
          tokenLifetime: settings.tokenLifetime ?? LIMITS.defaultTokenLifetime,
          allowedRedirectUrls: settings.allowedRedirectUrls!,
          allowedLogoutRedirectUrls: settings.allowedLogoutRedirectUrls ?? [],
          allowedCorsOrigins: settings.allowedCorsOrigins ?? [],
          clientUri: settings.clientUri ?? null,
          logoUri: settings.logoUri ?? null,
          tags: settings.tags ?? [],
        },
      };
      return checkAfter([created, ...also(clientId)], state);
    },
  };
};

type UrlList = 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls';

/** A plan that allows one more URL in `list`, recorded as `type`. */
const addUrl = (
  command: AddRedirectUrl | AddLogoutRedirectUrl,
  input: Violations,
  list: UrlList,
  type: 'RedirectUrlAdded' | 'LogoutRedirectUrlAdded',
): Plan =>
  onClient(
    command,
    input,
    () => {
      const url = input.take(parseRedirectUrl(command.data.url, { field: 'url' }))!;
      return (client, clientId) => (client[list].includes(url) ? [] : [{ type, data: { clientId, url } }]);
    },
    'url',
  );

/** A plan that stops allowing a URL of `list`, recorded as `type`. */
const removeUrl = (
  command: RemoveRedirectUrl | RemoveLogoutRedirectUrl,
  input: Violations,
  list: UrlList,
  type: 'RedirectUrlRemoved' | 'LogoutRedirectUrlRemoved',
): Plan =>
  onClient(
    command,
    input,
    () => (client, clientId) => {
      const url = valueToRemove(client[list], command.data.url, parseRedirectUrl, { field: 'url' });
      return url === null ? [] : [{ type, data: { clientId, url } }];
    },
    'url',
  );

const addCorsOrigin = (command: AddCorsOrigin, input: Violations): Plan =>
  onClient(
    command,
    input,
    () => {
      const origin = input.take(parseCorsOrigin(command.data.origin, { field: 'origin' }))!;
      return (client, clientId) => (client.allowedCorsOrigins.includes(origin) ? [] : [{ type: 'CorsOriginAdded', data: { clientId, origin } }]);
    },
    'origin',
  );

const removeCorsOrigin = (command: RemoveCorsOrigin, input: Violations): Plan =>
  onClient(
    command,
    input,
    () => (client, clientId) => {
      const origin = valueToRemove(client.allowedCorsOrigins, command.data.origin, parseCorsOrigin, { field: 'origin' });
      return origin === null ? [] : [{ type: 'CorsOriginRemoved', data: { clientId, origin } }];
    },
    'origin',
  );

/** A plan that gives the client back every setting it had at `toVersion`, as the ordinary events of each change. */
const revertClient = (command: RevertClient, input: Violations): Plan =>
  onClient(command, input, () => {
    const toVersion = input.take(parseVersionNumber(command.data.toVersion, { field: 'toVersion' }))!;
    return (client, _clientId, history) => revertChanges(client, clientAtVersion(history, toVersion, { field: 'toVersion' }), toVersion);
  });

/** Reads a command's input into its plan, noting every broken rule in `input`: the one switch over commands. */
const planFor = (command: ClientCommand, input: Violations): Plan => {
  switch (command.type) {
    case 'AddClient':
      return addClient(command, input);
    case 'UpdateClient':
      return changeSettings(command, input, () => parseSettings(command.data, input));
    case 'RenameClient':
      return changeSettings(command, input, () => ({ name: input.take(parseClientName(command.data.name, { field: 'name' })) }));
    case 'SetTokenLifetime':
      return changeSettings(command, input, () => ({
        tokenLifetime: input.take(parseTokenLifetime(command.data.seconds, { field: 'seconds' })),
      }));
    case 'EnableClient':
      return changeSettings(command, input, () => ({ enabled: true }));
    case 'DisableClient':
      return changeSettings(command, input, () => ({ enabled: false }));
    case 'AddRedirectUrl':
      return addUrl(command, input, 'allowedRedirectUrls', 'RedirectUrlAdded');
    case 'AddLogoutRedirectUrl':
      return addUrl(command, input, 'allowedLogoutRedirectUrls', 'LogoutRedirectUrlAdded');
    case 'RemoveRedirectUrl':
      return removeUrl(command, input, 'allowedRedirectUrls', 'RedirectUrlRemoved');
    case 'RemoveLogoutRedirectUrl':
      return removeUrl(command, input, 'allowedLogoutRedirectUrls', 'LogoutRedirectUrlRemoved');
    case 'AddCorsOrigin':
      return addCorsOrigin(command, input);
    case 'RemoveCorsOrigin':
      return removeCorsOrigin(command, input);
    case 'RevertClient':
      return revertClient(command, input);
    case 'DeleteClient':
      return onClient(command, input, () => (_client, clientId) => [{ type: 'ClientDeleted', data: { clientId } }]);
    case 'RegisterClient':
      return registerClient(command, input, addClient);
    case 'ReplaceRegisteredClient':
      return replaceRegisteredClient(command, input);
    case 'DeleteRegisteredClient':
      return deleteRegisteredClient(command, input);
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};

/**
 * Reads and checks everything a command gives that does not depend on the client's state: its
 * id, every value, and its reason. Answers every broken rule at once, or the command ready to
 * be decided; nothing needs to be loaded to refuse bad input.
 */
export const prepareCommand = (command: ClientCommand): Parsed<PreparedCommand> => {
  const input = new Violations();
  const plan = planFor(command, input);
  const reason = command.reason === null || command.reason === undefined ? null : input.take(parseReason(command.reason, { field: 'reason' }));
  if (input.list.length > 0) return { ok: false, violations: input.list };
  return accept({ ...plan, reason: reason ?? null });
};

/**
 * Decides what a command means for a client: the events to record (none when nothing would
 * change), or a ValidationError listing every broken rule, NotFoundError, or ConflictError.
 * Rules are checked on the incoming values and on the client as it will be afterwards.
 * `history` is the client's events that `state` folds (see {@link PreparedCommand.decide}).
 */
export const decide = (command: ClientCommand, state: ClientState, history?: readonly ClientEvent[]): ClientEvent[] => {
  const prepared = prepareCommand(command);
  if (!prepared.ok) throw new ValidationError(prepared.violations);
  return prepared.value.decide(state, history);
};
