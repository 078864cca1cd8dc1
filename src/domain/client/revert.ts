import { ValidationError } from '../../errors';
import { type Client, type ClientEvent, evolveAll } from './client';
import { type ValidSettings, settingChanges } from './settings';
import {
  type FieldRef,
  type Parsed,
  parseAbsoluteUri,
  parseClientName,
  parseCorsOrigin,
  parseRedirectUrl,
  parseTag,
  parseTokenLifetime,
} from './values';
import { Violations } from './violations';

/**
 * The client as its first `version` events left it, read from its history (oldest first).
 * A version the history does not reach, or one at which the client did not exist, is refused at `at`.
 */
export const clientAtVersion = (history: readonly ClientEvent[], version: number, at: FieldRef): Client => {
  const then = version <= history.length ? evolveAll(history.slice(0, version)) : null;
  if (then?.status !== 'active') {
    throw new ValidationError([
      {
        field: at.field,
        rule: 'version',
        message: `${at.field} must be a version the client has had, from 1 to ${history.length} (got ${version})`,
      },
    ]);
  }
  return then.client;
};

type ListSetting = 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls' | 'allowedCorsOrigins' | 'tags';

const LIST_ITEMS: Readonly<Record<ListSetting, (raw: string, at: FieldRef) => Parsed<string>>> = {
  allowedRedirectUrls: parseRedirectUrl,
  allowedLogoutRedirectUrls: parseRedirectUrl,
  allowedCorsOrigins: parseCorsOrigin,
  tags: parseTag,
};

/** The settings a revert sets: what differs in `target`, each value it brings back read by today's rules. */
type RevertedSettings = Pick<ValidSettings, 'name' | 'tokenLifetime' | 'enabled' | 'clientUri' | 'logoUri'> & Record<ListSetting, string[]>;

/**
 * What `target` brings back, read by today's rules: every value that differs from the client as it
 * is, a value an older rule let in and today's refuses reported at its setting (and its index in
 * the list). What the client keeps is not checked again, as no other command checks it.
 */
const broughtBack = (client: Client, target: Client, version: number): RevertedSettings => {
  const input = new Violations();
  const differs = <K extends keyof Client>(field: K): boolean => target[field] !== client[field];
  const uri = (field: 'clientUri' | 'logoUri') => {
    const value = target[field];
    return !differs(field) ? undefined : value === null ? null : input.take(parseAbsoluteUri(value, { field }));
  };
  const list = (field: ListSetting): string[] => {
    const values = target[field].map((value, index) =>
      client[field].includes(value) ? value : input.take(LIST_ITEMS[field](value, { field, index })),
    );
    return [...new Set(values.filter((value) => value !== undefined))];
  };
  const settings: RevertedSettings = {
    name: differs('name') ? input.take(parseClientName(target.name, { field: 'name' })) : undefined,
    tokenLifetime: differs('tokenLifetime') ? input.take(parseTokenLifetime(target.tokenLifetime, { field: 'tokenLifetime' })) : undefined,
    enabled: target.enabled,
    clientUri: uri('clientUri'),
    logoUri: uri('logoUri'),
    allowedRedirectUrls: list('allowedRedirectUrls'),
    allowedLogoutRedirectUrls: list('allowedLogoutRedirectUrls'),
    allowedCorsOrigins: list('allowedCorsOrigins'),
    tags: list('tags'),
  };
  if (input.list.length > 0) {
    throw new ValidationError(input.list.map((violation) => ({ ...violation, message: `Version ${version} cannot be brought back: ${violation.message}` })));
  }
  return settings;
};

type Step = { add: boolean; value: string };

/**
 * The additions and removals that turn `current` into `desired` one value at a time, removing
 * first while more than `min` values stay, so no step leaves fewer than `min` (or `desired`'s
 * size, if smaller) nor more than the largest of the two lists, or `min + 1`.
 */
const stepsBetween = (current: readonly string[], desired: readonly string[], min: number): Step[] => {
  const removals = current.filter((value) => !desired.includes(value));
  const additions = desired.filter((value) => !current.includes(value));
  const steps: Step[] = [];
  let size = current.length;
  while (removals.length > 0 || additions.length > 0) {
    const remove = removals.length > 0 && (size > min || additions.length === 0);
    steps.push({ add: !remove, value: (remove ? removals : additions).shift()! });
    size += remove ? -1 : 1;
  }
  return steps;
};

/** The list events of a revert, as steps of `stepsBetween`. */
const listEvents = (clientId: string, client: Client, target: RevertedSettings): ClientEvent[] => {
  const list = (field: ListSetting, min: number) => stepsBetween(client[field], target[field], min);
  return [
    ...list('allowedRedirectUrls', 1).map(({ add, value: url }): ClientEvent =>
      add ? { type: 'RedirectUrlAdded', data: { clientId, url } } : { type: 'RedirectUrlRemoved', data: { clientId, url } },
    ),
    ...list('allowedLogoutRedirectUrls', 0).map(({ add, value: url }): ClientEvent =>
      add ? { type: 'LogoutRedirectUrlAdded', data: { clientId, url } } : { type: 'LogoutRedirectUrlRemoved', data: { clientId, url } },
    ),
    ...list('allowedCorsOrigins', 0).map(({ add, value: origin }): ClientEvent =>
      add ? { type: 'CorsOriginAdded', data: { clientId, origin } } : { type: 'CorsOriginRemoved', data: { clientId, origin } },
    ),
    ...list('tags', 0).map(({ add, value: tag }): ClientEvent =>
      add ? { type: 'TagAdded', data: { clientId, tag } } : { type: 'TagRemoved', data: { clientId, tag } },
    ),
  ];
};

/**
 * The ordinary events that give `client` every setting `target` had (at `version`), one per change (so the audit
 * trail shows what the revert changed), none when nothing differs. Each value brought back is read
 * by today's rules: one they refuse refuses the revert. Lists are compared as sets and changed so
 * that every step keeps the client whole: a redirect URL is added before the last one is removed,
 * and no list grows past the larger of its sizes before and after.
 */
export const revertChanges = (client: Client, target: Client, version: number): ClientEvent[] => {
  const settings = broughtBack(client, target, version);
  const { name, tokenLifetime, enabled, clientUri, logoUri } = settings;
  return [...settingChanges(client, { name, tokenLifetime, enabled, clientUri, logoUri }), ...listEvents(client.id, client, settings)];
};
