import { ConflictError, NotFoundError, ValidationError, type Violation } from '../../errors';
import { type Client, type ClientEvent, type ClientState, evolveAll, isVisibleTo } from './client';
import {
  LIMITS,
  type FieldRef,
  type Parsed,
  parseAbsoluteUri,
  parseClientId,
  parseClientName,
  parseCorsOrigin,
  parseList,
  parseRedirectUrl,
  parseTag,
  parseTokenLifetime,
} from './values';

type Command<Type extends string, Data> = { type: Type; tenantId: string; data: Data };

/** The settings a client is created with; optional ones take their defaults. */
export interface ClientSettingsInput {
  name: string;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls?: string[];
  allowedCorsOrigins?: string[];
  tokenLifetime?: number;
  enabled?: boolean;
  clientUri?: string | null;
  logoUri?: string | null;
  tags?: string[];
}

/** Register a new client under an id nobody has used. */
export type AddClient = Command<'AddClient', { id: string } & ClientSettingsInput>;
/** Change any subset of the settings; unset fields stay, lists are replaced as sets. */
export type UpdateClient = Command<'UpdateClient', { clientId: string } & Partial<ClientSettingsInput>>;
/** Give the client a new name. */
export type RenameClient = Command<'RenameClient', { clientId: string; name: string }>;
/** Set how long access tokens issued to the client live. */
export type SetTokenLifetime = Command<'SetTokenLifetime', { clientId: string; seconds: number }>;
/** Allow one more redirect URL. */
export type AddRedirectUrl = Command<'AddRedirectUrl', { clientId: string; url: string }>;
/** Stop allowing a redirect URL. */
export type RemoveRedirectUrl = Command<'RemoveRedirectUrl', { clientId: string; url: string }>;
/** Allow one more logout redirect URL. */
export type AddLogoutRedirectUrl = Command<'AddLogoutRedirectUrl', { clientId: string; url: string }>;
/** Stop allowing a logout redirect URL. */
export type RemoveLogoutRedirectUrl = Command<'RemoveLogoutRedirectUrl', { clientId: string; url: string }>;
/** Allow one more CORS origin. */
export type AddCorsOrigin = Command<'AddCorsOrigin', { clientId: string; origin: string }>;
/** Stop allowing a CORS origin. */
export type RemoveCorsOrigin = Command<'RemoveCorsOrigin', { clientId: string; origin: string }>;
/** Let the client sign users in. */
export type EnableClient = Command<'EnableClient', { clientId: string }>;
/** Stop the client from signing users in. */
export type DisableClient = Command<'DisableClient', { clientId: string }>;
/** Remove the client for good. */
export type DeleteClient = Command<'DeleteClient', { clientId: string }>;

/** Every command an administrator can give about an authorization code client. */
export type ClientCommand =
  | AddClient
  | UpdateClient
  | RenameClient
  | SetTokenLifetime
  | AddRedirectUrl
  | RemoveRedirectUrl
  | AddLogoutRedirectUrl
  | RemoveLogoutRedirectUrl
  | AddCorsOrigin
  | RemoveCorsOrigin
  | EnableClient
  | DisableClient
  | DeleteClient;

/** The raw id a command names: `id` on AddClient, `clientId` on every other command. */
export const commandClientId = (command: ClientCommand): string =>
  command.type === 'AddClient' ? command.data.id : command.data.clientId;

/** Gathers the violations of many parses, so every broken rule is reported at once. */
class Violations {
  readonly list: Violation[] = [];

  take<T>(parsed: Parsed<T>): T | undefined {
    if (parsed.ok) return parsed.value;
    this.list.push(...parsed.violations);
    return undefined;
  }

  add(violation: Violation): void {
    this.list.push(violation);
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

const atLeastOneRedirectUrl = (field: string): Violation => ({
  field,
  rule: 'lastRedirectUrl',
  message: 'A client needs at least one allowed redirect URL',
});

/** Settings as they will be stored, every value valid and normalised; absent means unchanged. */
type ValidSettings = { [K in keyof ClientSettingsInput]?: Exclude<ClientSettingsInput[K], undefined> };

const parseSettings = (input: Partial<ClientSettingsInput>, violations: Violations): ValidSettings => {
  const list = (field: keyof ValidSettings, parseItem: (raw: string, at: FieldRef) => Parsed<string>, max: number) => {
    const raws = input[field];
    return Array.isArray(raws) ? violations.take(parseList(raws, parseItem, { field }, max)) : undefined;
  };
  const optionalUri = (field: 'clientUri' | 'logoUri') => {
    const raw = input[field];
    return raw === null || raw === undefined ? raw : violations.take(parseAbsoluteUri(raw, { field }));
  };
  const settings: ValidSettings = {
    name: input.name === undefined ? undefined : violations.take(parseClientName(input.name, { field: 'name' })),
    tokenLifetime:
      input.tokenLifetime === undefined
        ? undefined
        : violations.take(parseTokenLifetime(input.tokenLifetime, { field: 'tokenLifetime' })),
    enabled: input.enabled,
    allowedRedirectUrls: list('allowedRedirectUrls', parseRedirectUrl, LIMITS.redirectUrls),
    allowedLogoutRedirectUrls: list('allowedLogoutRedirectUrls', parseRedirectUrl, LIMITS.logoutRedirectUrls),
    allowedCorsOrigins: list('allowedCorsOrigins', parseCorsOrigin, LIMITS.corsOrigins),
    clientUri: optionalUri('clientUri'),
    logoUri: optionalUri('logoUri'),
    tags: list('tags', parseTag, LIMITS.tags),
  };
  if (input.allowedRedirectUrls?.length === 0) violations.add(atLeastOneRedirectUrl('allowedRedirectUrls'));
  return settings;
};

/** The client the command is about; another tenant's, or a state holding another client, is as good as absent. */
const activeClient = (state: ClientState, command: ClientCommand, clientId: string): Client => {
  if (!isVisibleTo(state, command.tenantId) || state.client.id !== clientId) {
    throw new NotFoundError(`No authorization code client with id ${clientId}`);
  }
  return state.client;
};

/** The events that turn `current` into `desired`, removals first, for one list setting. */
const listChanges = (
  current: readonly string[],
  desired: readonly string[] | undefined,
  removed: (value: string) => ClientEvent,
  added: (value: string) => ClientEvent,
): ClientEvent[] =>
  desired === undefined
    ? []
    : [
        ...current.filter((value) => !desired.includes(value)).map(removed),
        ...desired.filter((value) => !current.includes(value)).map(added),
      ];

const settingChanges = (client: Client, settings: ValidSettings): ClientEvent[] => {
  const clientId = client.id;
  const events: ClientEvent[] = [];
  if (settings.name !== undefined && settings.name !== client.name) {
    events.push({ type: 'ClientRenamed', data: { clientId, name: settings.name } });
  }
  if (settings.tokenLifetime !== undefined && settings.tokenLifetime !== client.tokenLifetime) {
    events.push({ type: 'TokenLifetimeChanged', data: { clientId, seconds: settings.tokenLifetime } });
  }
  if (settings.enabled !== undefined && settings.enabled !== client.enabled) {
    events.push({ type: settings.enabled ? 'ClientEnabled' : 'ClientDisabled', data: { clientId } });
  }
  events.push(
    ...listChanges(
      client.allowedRedirectUrls,
      settings.allowedRedirectUrls,
      (url) => ({ type: 'RedirectUrlRemoved', data: { clientId, url } }),
      (url) => ({ type: 'RedirectUrlAdded', data: { clientId, url } }),
    ),
    ...listChanges(
      client.allowedLogoutRedirectUrls,
      settings.allowedLogoutRedirectUrls,
      (url) => ({ type: 'LogoutRedirectUrlRemoved', data: { clientId, url } }),
      (url) => ({ type: 'LogoutRedirectUrlAdded', data: { clientId, url } }),
    ),
    ...listChanges(
      client.allowedCorsOrigins,
      settings.allowedCorsOrigins,
      (origin) => ({ type: 'CorsOriginRemoved', data: { clientId, origin } }),
      (origin) => ({ type: 'CorsOriginAdded', data: { clientId, origin } }),
    ),
  );
  if (settings.clientUri !== undefined && settings.clientUri !== client.clientUri) {
    events.push({ type: 'ClientUriChanged', data: { clientId, clientUri: settings.clientUri } });
  }
  if (settings.logoUri !== undefined && settings.logoUri !== client.logoUri) {
    events.push({ type: 'LogoUriChanged', data: { clientId, logoUri: settings.logoUri } });
  }
  events.push(
    ...listChanges(
      client.tags,
      settings.tags,
      (tag) => ({ type: 'TagRemoved', data: { clientId, tag } }),
      (tag) => ({ type: 'TagAdded', data: { clientId, tag } }),
    ),
  );
  return events;
};

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

/** Which input field a list rule is reported on for each command. */
const listField = (command: ClientCommand, list: 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls' | 'allowedCorsOrigins') => {
  switch (command.type) {
    case 'AddRedirectUrl':
    case 'RemoveRedirectUrl':
    case 'AddLogoutRedirectUrl':
    case 'RemoveLogoutRedirectUrl':
      return 'url';
    case 'AddCorsOrigin':
    case 'RemoveCorsOrigin':
      return 'origin';
    default:
      return list;
  }
};

type LimitedList = 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls' | 'allowedCorsOrigins' | 'tags';

const LIST_LIMITS: readonly { list: LimitedList; max: number; what: string }[] = [
  { list: 'allowedRedirectUrls', max: LIMITS.redirectUrls, what: 'allowed redirect URLs' },
  { list: 'allowedLogoutRedirectUrls', max: LIMITS.logoutRedirectUrls, what: 'allowed logout redirect URLs' },
  { list: 'allowedCorsOrigins', max: LIMITS.corsOrigins, what: 'allowed CORS origins' },
  { list: 'tags', max: LIMITS.tags, what: 'tags' },
];

/**
 * Rules on the client as a whole, checked on the state the command leads to. Only what the
 * command makes worse is refused, so a client stored under older, looser limits can still be
 * changed (disabled, say) without first being brought within today's.
 */
const invariantViolations = (before: Client | null, after: Client, command: ClientCommand): Violation[] => {
  const violations: Violation[] = [];
  const hadRedirectUrl = before === null || before.allowedRedirectUrls.length > 0;
  if (after.allowedRedirectUrls.length === 0 && hadRedirectUrl) {
    violations.push(atLeastOneRedirectUrl(listField(command, 'allowedRedirectUrls')));
  }
  for (const { list, max, what } of LIST_LIMITS) {
    if (after[list].length > max && after[list].length > (before?.[list].length ?? 0)) {
      violations.push({
        field: list === 'tags' ? 'tags' : listField(command, list),
        rule: 'tooMany',
        message: `A client can have at most ${max} ${what}`,
      });
    }
  }
  return violations;
};

const decideCreate = (command: AddClient, state: ClientState, violations: Violations): ClientEvent[] => {
  const id = violations.take(parseClientId(command.data.id, { field: 'id' }));
  const settings = parseSettings(command.data, violations);
  violations.throwIfAny();
  if (state.status !== 'absent') throw new ConflictError(`A client with id ${id} already exists; client ids are never reused`);
  return [
    {
      type: 'ClientCreated',
      data: {
        clientId: id!,
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
    },
  ];
};

const decideChange = (
  command: Exclude<ClientCommand, AddClient>,
  state: ClientState,
  violations: Violations,
): ClientEvent[] => {
  const clientId = violations.take(parseClientId(command.data.clientId, { field: 'clientId' })) ?? command.data.clientId;
  const settings: ValidSettings = (() => {
    switch (command.type) {
      case 'UpdateClient':
        return parseSettings(command.data, violations);
      case 'RenameClient':
        return { name: violations.take(parseClientName(command.data.name, { field: 'name' })) };
      case 'SetTokenLifetime':
        return { tokenLifetime: violations.take(parseTokenLifetime(command.data.seconds, { field: 'seconds' })) };
      case 'EnableClient':
        return { enabled: true };
      case 'DisableClient':
        return { enabled: false };
      default:
        return {};
    }
  })();
  const added = (() => {
    switch (command.type) {
      case 'AddRedirectUrl':
      case 'AddLogoutRedirectUrl':
        return violations.take(parseRedirectUrl(command.data.url, { field: 'url' }));
      case 'AddCorsOrigin':
        return violations.take(parseCorsOrigin(command.data.origin, { field: 'origin' }));
      default:
        return undefined;
    }
  })();
  violations.throwIfAny();

  const client = activeClient(state, command, clientId);
  switch (command.type) {
    case 'UpdateClient':
    case 'RenameClient':
    case 'SetTokenLifetime':
    case 'EnableClient':
    case 'DisableClient':
      return settingChanges(client, settings);
    case 'AddRedirectUrl':
      return client.allowedRedirectUrls.includes(added!) ? [] : [{ type: 'RedirectUrlAdded', data: { clientId, url: added! } }];
    case 'AddLogoutRedirectUrl':
      return client.allowedLogoutRedirectUrls.includes(added!)
        ? []
        : [{ type: 'LogoutRedirectUrlAdded', data: { clientId, url: added! } }];
    case 'AddCorsOrigin':
      return client.allowedCorsOrigins.includes(added!) ? [] : [{ type: 'CorsOriginAdded', data: { clientId, origin: added! } }];
    case 'RemoveRedirectUrl': {
      const url = valueToRemove(client.allowedRedirectUrls, command.data.url, parseRedirectUrl, { field: 'url' });
      return url === null ? [] : [{ type: 'RedirectUrlRemoved', data: { clientId, url } }];
    }
    case 'RemoveLogoutRedirectUrl': {
      const url = valueToRemove(client.allowedLogoutRedirectUrls, command.data.url, parseRedirectUrl, { field: 'url' });
      return url === null ? [] : [{ type: 'LogoutRedirectUrlRemoved', data: { clientId, url } }];
    }
    case 'RemoveCorsOrigin': {
      const origin = valueToRemove(client.allowedCorsOrigins, command.data.origin, parseCorsOrigin, { field: 'origin' });
      return origin === null ? [] : [{ type: 'CorsOriginRemoved', data: { clientId, origin } }];
    }
    case 'DeleteClient':
      return [{ type: 'ClientDeleted', data: { clientId } }];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};

/**
 * Decides what a command means for a client: the events to record (none when nothing would
 * change), or a ValidationError listing every broken rule, NotFoundError, or ConflictError.
 * Rules are checked on the incoming values and on the client as it will be afterwards.
 */
export const decide = (command: ClientCommand, state: ClientState): ClientEvent[] => {
  const violations = new Violations();
  const events =
    command.type === 'AddClient' ? decideCreate(command, state, violations) : decideChange(command, state, violations);
  const after = evolveAll(events, state);
  if (after.status === 'active') {
    const broken = invariantViolations(state.status === 'active' ? state.client : null, after.client, command);
    if (broken.length > 0) throw new ValidationError(broken);
  }
  return events;
};
