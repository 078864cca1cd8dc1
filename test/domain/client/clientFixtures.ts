import {
  type AddClient,
  type ClientCommand,
  type ClientCreated,
  type ClientEvent,
  type ClientSettingsInput,
} from '../../../src/domain/client';

/** The tenant whose administrator gives the commands. */
export const TENANT = 'tenant-a';
/** Another tenant, whose clients must look absent to TENANT. */
export const OTHER_TENANT = 'tenant-b';
/** The client most examples are about. */
export const CLIENT_ID = '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d';
/** Another valid client id. */
export const OTHER_CLIENT_ID = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';

/** The redirect URL a client is created with in the examples. */
export const CALLBACK = 'https://shop.example.com/callback';

/** `count` distinct valid redirect URLs on `host`. */
export const redirectUrls = (count: number, host = 'app.example.com'): string[] =>
  Array.from({ length: count }, (_, i) => `https://${host}/cb${i}`);

/** `count` distinct valid CORS origins, in serialized form. */
export const corsOrigins = (count: number): string[] => Array.from({ length: count }, (_, i) => `https://o${i}.example.com`);

/** `count` distinct valid tags. */
export const tags = (count: number): string[] => Array.from({ length: count }, (_, i) => `tag-${i}`);

/** ClientCreated for CLIENT_ID of TENANT, with defaults and the given settings. */
export const clientCreated = (data: Partial<ClientCreated['data']> = {}): ClientCreated => ({
  type: 'ClientCreated',
  data: {
    clientId: CLIENT_ID,
    tenantId: TENANT,
    name: 'Shop',
    enabled: true,
    tokenLifetime: 3600,
    allowedRedirectUrls: [CALLBACK],
    allowedLogoutRedirectUrls: [],
    allowedCorsOrigins: [],
    clientUri: null,
    logoUri: null,
    tags: [],
    ...data,
  },
});

/** ClientDeleted for CLIENT_ID. */
export const clientDeleted = (clientId = CLIENT_ID): ClientEvent => ({ type: 'ClientDeleted', data: { clientId } });

/** AddClient by TENANT with id CLIENT_ID, named Shop with one redirect URL, and the given settings. */
export const addClient = (data: Partial<ClientSettingsInput & { id: string }> = {}, tenantId = TENANT): AddClient => ({
  type: 'AddClient',
  tenantId,
  data: { id: CLIENT_ID, name: 'Shop', allowedRedirectUrls: [CALLBACK], ...data },
});

type ChangeType = Exclude<ClientCommand['type'], 'AddClient'>;
type CommandOf<Type extends ChangeType> = Extract<ClientCommand, { type: Type }>;

/** A command about an existing client, by TENANT about CLIENT_ID unless `about` says otherwise. */
export const change = <Type extends ChangeType>(
  type: Type,
  data: Omit<CommandOf<Type>['data'], 'clientId'>,
  about: { clientId?: string; tenantId?: string } = {},
): CommandOf<Type> =>
  ({ type, tenantId: about.tenantId ?? TENANT, data: { ...data, clientId: about.clientId ?? CLIENT_ID } }) as CommandOf<Type>;
