import { type Violation } from '../../errors';
import { type Client, type ClientEvent } from './client';
import { type ClientSettingsInput } from './commands';
import {
  LIMITS,
  type FieldRef,
  type Parsed,
  parseAbsoluteUri,
  parseClientName,
  parseCorsOrigin,
  parseList,
  parseRedirectUrl,
  parseTag,
  parseTokenLifetime,
} from './values';
import { type Violations } from './violations';

/** Settings as they will be stored, every value valid and normalised; absent means unchanged. */
export type ValidSettings = { [K in keyof ClientSettingsInput]?: Exclude<ClientSettingsInput[K], undefined> };

/** The rule a client without any redirect URL breaks, reported at `field`. */
export const atLeastOneRedirectUrl = (field: string): Violation => ({
  field,
  rule: 'lastRedirectUrl',
  message: 'A client needs at least one allowed redirect URL',
});

/** Reads the settings an add or update names, noting every broken rule in `violations`. */
export const parseSettings = (input: Partial<ClientSettingsInput>, violations: Violations): ValidSettings => {
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

/** The events that give `client` the settings named; none for what already is so. */
export const settingChanges = (client: Client, settings: ValidSettings): ClientEvent[] => {
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
