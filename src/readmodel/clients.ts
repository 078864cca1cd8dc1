import { type Actor, type Client } from '../domain/client';
import { type ReadModelDatabase, prepared, rowsWithKeyIn } from './database';
import { keysetPage } from './keyset';
import { type Page, type PageArgs, resolvePage } from './pagination';

/** A row of the `clients` table: one per client, deleted ones kept as tombstones. */
export interface ClientRow {
  id: string;
  tenant_id: string;
  name: string;
  name_search: string;
  enabled: number;
  token_lifetime: number;
  allowed_redirect_urls: string;
  allowed_logout_redirect_urls: string;
  allowed_cors_origins: string;
  client_uri: string | null;
  logo_uri: string | null;
  tags: string;
  version: number;
  position: string;
  created_at: string;
  updated_at: string;
  created_by_id: string;
  created_by_name: string | null;
  deleted: number;
}

/** A client row in the domain's terms: the client as its events left it, and what the list shows of its history. */
export interface ClientRecord {
  client: Client;
  deleted: boolean;
  /** Events applied so far. */
  version: number;
  /** Opaque position of the client's latest event. */
  position: string;
  createdAt: string;
  updatedAt: string;
  createdBy: Actor;
}

/** A client as queries answer it: its settings plus version, times and creator. */
export interface ClientView extends Client {
  version: number;
  /** Opaque position of the client's latest event. */
  position: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: Actor;
}

/** Which clients to list. */
export interface ClientFilter {
  /** Case-insensitive substring of the name or the id. */
  search?: string | null;
  enabled?: boolean | null;
  /** Clients carrying all of these tags. */
  tags?: readonly string[] | null;
  ids?: readonly string[] | null;
}

/** The order of the list. */
export interface ClientOrder {
  field: 'NAME' | 'CREATED_AT' | 'UPDATED_AT';
  direction: 'ASC' | 'DESC';
}

/**
 * The name as the list searches and sorts it: canonically composed (an accent typed as a
 * combining mark matches the precomposed letter), lower-cased, and with the Greek final sigma
 * as sigma (lower-casing turns a trailing 'Σ' of a search into 'ς', which the name has as 'σ').
 */
export const searchKey = (text: string): string =>
  text.normalize('NFC').toLocaleLowerCase('en-US').normalize('NFC').replaceAll('ς', 'σ');

/** Creates the `clients` and `client_tags` tables and their indexes if missing. */
export const createClientTables = (db: ReadModelDatabase): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS clients (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      name TEXT NOT NULL,
      name_search TEXT NOT NULL,
      enabled INTEGER NOT NULL,
      token_lifetime INTEGER NOT NULL,
      allowed_redirect_urls TEXT NOT NULL,
      allowed_logout_redirect_urls TEXT NOT NULL,
      allowed_cors_origins TEXT NOT NULL,
      client_uri TEXT,
      logo_uri TEXT,
      tags TEXT NOT NULL,
      version INTEGER NOT NULL,
      position TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      created_by_id TEXT NOT NULL,
      created_by_name TEXT,
      deleted INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS clients_by_name ON clients (tenant_id, deleted, name_search, id);
    CREATE INDEX IF NOT EXISTS clients_by_created ON clients (tenant_id, deleted, created_at, id);
    CREATE INDEX IF NOT EXISTS clients_by_updated ON clients (tenant_id, deleted, updated_at, id);
    CREATE TABLE IF NOT EXISTS client_tags (
      client_id TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      tag TEXT NOT NULL,
      PRIMARY KEY (client_id, tag)
    ) STRICT;
    CREATE INDEX IF NOT EXISTS client_tags_by_tag ON client_tags (tenant_id, tag, client_id);
  `);
};

/** Drops the `clients` and `client_tags` tables, for a rebuild. */
export const dropClientTables = (db: ReadModelDatabase): void => {
  db.exec('DROP TABLE IF EXISTS clients; DROP TABLE IF EXISTS client_tags;');
};

/** The client a row holds, in the domain's terms. */
const clientFromRow = (row: ClientRow): Client => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  enabled: row.enabled === 1,
  tokenLifetime: row.token_lifetime,
  allowedRedirectUrls: JSON.parse(row.allowed_redirect_urls) as string[],
  allowedLogoutRedirectUrls: JSON.parse(row.allowed_logout_redirect_urls) as string[],
  allowedCorsOrigins: JSON.parse(row.allowed_cors_origins) as string[],
  clientUri: row.client_uri,
  logoUri: row.logo_uri,
  tags: JSON.parse(row.tags) as string[],
});

const recordFromRow = (row: ClientRow): ClientRecord => ({
  client: clientFromRow(row),
  deleted: row.deleted === 1,
  version: row.version,
  position: row.position,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  createdBy: { id: row.created_by_id, name: row.created_by_name },
});

const rowFromRecord = ({ client, ...record }: ClientRecord): ClientRow => ({
  id: client.id,
  tenant_id: client.tenantId,
  name: client.name,
  name_search: searchKey(client.name),
  enabled: client.enabled ? 1 : 0,
  token_lifetime: client.tokenLifetime,
  allowed_redirect_urls: JSON.stringify(client.allowedRedirectUrls),
  allowed_logout_redirect_urls: JSON.stringify(client.allowedLogoutRedirectUrls),
  allowed_cors_origins: JSON.stringify(client.allowedCorsOrigins),
  client_uri: client.clientUri,
  logo_uri: client.logoUri,
  tags: JSON.stringify(client.tags),
  version: record.version,
  position: record.position,
  created_at: record.createdAt,
  updated_at: record.updatedAt,
  created_by_id: record.createdBy.id,
  created_by_name: record.createdBy.name,
  deleted: record.deleted ? 1 : 0,
});

/** The records of these clients, deleted or not, whatever their tenant: one query for a whole batch; a client without a row is absent from the map. */
export const readClientRecords = (db: ReadModelDatabase, ids: readonly string[]): Map<string, ClientRecord> => {
  const rows = rowsWithKeyIn<ClientRow>(db, 'SELECT * FROM clients', 'id', ids);
  return new Map(rows.map((row) => [row.id, recordFromRow(row)]));
};

/** Inserts or replaces a client's row; its creation time and creator stay as first written. */
export const writeClientRecord = (db: ReadModelDatabase, record: ClientRecord): void => {
  prepared<ClientRow>(
    db,
    `INSERT INTO clients VALUES (@id, @tenant_id, @name, @name_search, @enabled, @token_lifetime,
       @allowed_redirect_urls, @allowed_logout_redirect_urls, @allowed_cors_origins, @client_uri, @logo_uri,
       @tags, @version, @position, @created_at, @updated_at, @created_by_id, @created_by_name, @deleted)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_search = excluded.name_search,
       enabled = excluded.enabled, token_lifetime = excluded.token_lifetime,
       allowed_redirect_urls = excluded.allowed_redirect_urls,
       allowed_logout_redirect_urls = excluded.allowed_logout_redirect_urls,
       allowed_cors_origins = excluded.allowed_cors_origins, client_uri = excluded.client_uri,
       logo_uri = excluded.logo_uri, tags = excluded.tags, version = excluded.version,
       position = excluded.position, updated_at = excluded.updated_at, deleted = excluded.deleted`,
  ).run(rowFromRecord(record));
};

/** The tags a record puts in `client_tags`: a live client's tags; none for a deleted or absent one. */
const listedTags = (record: ClientRecord | undefined): readonly string[] =>
  record === undefined || record.deleted ? [] : record.client.tags;

/** Brings a client's rows of `client_tags` from what `before` listed to what `after` lists, touching only the differences. */
export const updateClientTags = (db: ReadModelDatabase, before: ClientRecord | undefined, after: ClientRecord): void => {
  const was = listedTags(before);
  const now = listedTags(after);
  const { id, tenantId } = after.client;
  for (const tag of was) {
    if (!now.includes(tag)) prepared<[string, string]>(db, 'DELETE FROM client_tags WHERE client_id = ? AND tag = ?').run(id, tag);
  }
  for (const tag of now) {
    if (!was.includes(tag)) {
      prepared<[string, string, string]>(db, 'INSERT INTO client_tags (client_id, tenant_id, tag) VALUES (?, ?, ?)').run(id, tenantId, tag);
    }
  }
};

const ORDER_COLUMNS: Record<ClientOrder['field'], keyof ClientRow> = {
  NAME: 'name_search',
  CREATED_AT: 'created_at',
  UPDATED_AT: 'updated_at',
};

const toView = (row: ClientRow): ClientView => ({
  ...clientFromRow(row),
  version: row.version,
  position: row.position,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  createdBy: { id: row.created_by_id, name: row.created_by_name },
});

/** One client of the tenant; null when absent, deleted or another tenant's. */
/** How many live clients of the tenant were created by this actor (open registration's quota counts `anonymous`). */
export const countClientsCreatedBy = (db: ReadModelDatabase, tenantId: string, actorId: string): number =>
  Number((db.prepare('SELECT COUNT(*) AS n FROM clients WHERE tenant_id = ? AND deleted = 0 AND created_by_id = ?').get(tenantId, actorId) as { n: number | bigint }).n);

export const getClient = (db: ReadModelDatabase, tenantId: string, id: string): ClientView | null => {
  const row = prepared<[string, string], ClientRow>(db, 'SELECT * FROM clients WHERE id = ? AND tenant_id = ? AND deleted = 0').get(
    id.trim().toLowerCase(),
    tenantId,
  );
  return row ? toView(row) : null;
};

/** The client with this id in whichever tenant has it (client ids are unique); null when absent or deleted. For operators' tools only. */
export const findClientInAnyTenant = (db: ReadModelDatabase, id: string): ClientView | null => {
  const row = prepared<[string], ClientRow>(db, 'SELECT * FROM clients WHERE id = ? AND deleted = 0').get(id.trim().toLowerCase());
  return row ? toView(row) : null;
};

/** A page of the tenant's clients, filtered and ordered. */
export const listClients = (
  db: ReadModelDatabase,
  tenantId: string,
  filter: ClientFilter,
  order: ClientOrder,
  args: PageArgs,
): Page<ClientView> => {
  const where = ['tenant_id = ?', 'deleted = 0'];
  const params: unknown[] = [tenantId];
  if (filter.search) {
    where.push('(instr(name_search, ?) > 0 OR instr(id, ?) > 0)');
    params.push(searchKey(filter.search.trim()), filter.search.trim().toLowerCase());
  }
  if (filter.enabled !== undefined && filter.enabled !== null) {
    where.push('enabled = ?');
    params.push(filter.enabled ? 1 : 0);
  }
  for (const tag of new Set(filter.tags ?? [])) {
    where.push('EXISTS (SELECT 1 FROM client_tags t WHERE t.tenant_id = clients.tenant_id AND t.client_id = clients.id AND t.tag = ?)');
    params.push(tag.trim());
  }
  if (filter.ids) {
    const ids = [...new Set(filter.ids.map((id) => id.trim().toLowerCase()))];
    where.push(`id IN (${ids.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...ids);
  }
  const column = ORDER_COLUMNS[order.field];
  const kind = `clients:${order.field}:${order.direction}`;
  return keysetPage<ClientRow, ClientView>(
    db,
    {
      table: 'clients',
      where,
      params,
      key: [column, 'id'],
      descending: order.direction === 'DESC',
      kind,
      keyOf: (row) => [row[column] as string, row.id],
      toNode: toView,
    },
    resolvePage(args, kind, ['string', 'string']),
  );
};
