import { type Database } from 'better-sqlite3';
import { CLIENT_EVENT_TYPES, type Client, type ClientState, evolve } from '../src/domain/client';
import { positionToToken } from '../src/eventstore';
import { type ProjectedEvent, type Projection, preparedFor } from './projection';

/** A row of the `clients` table, as the read model's queries see it. */
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

/**
 * The name as the list searches and sorts it: canonically composed (an accent typed as a
 * combining mark matches the precomposed letter), lower-cased, and with the Greek final sigma
 * as sigma (lower-casing turns a trailing 'Σ' of a search into 'ς', which the name has as 'σ').
 */
export const searchKey = (text: string): string =>
  text.normalize('NFC').toLocaleLowerCase('en-US').normalize('NFC').replaceAll('ς', 'σ');

const statements = preparedFor((db) => ({
  get: db.prepare<[string], ClientRow>('SELECT * FROM clients WHERE id = ?'),
  upsert: db.prepare<ClientRow>(
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
  ),
  deleteTags: db.prepare<[string]>('DELETE FROM client_tags WHERE client_id = ?'),
  insertTag: db.prepare<[string, string, string]>('INSERT INTO client_tags (client_id, tenant_id, tag) VALUES (?, ?, ?)'),
}));

/** The client a row holds, in the domain's terms. */
export const clientFromRow = (row: ClientRow): Client => ({
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

const stateFromRow = (row: ClientRow | undefined): ClientState =>
  row === undefined ? { status: 'absent' } : { status: row.deleted ? 'deleted' : 'active', client: clientFromRow(row) };

const applyOne = (db: Database, { event, metadata, recorded }: ProjectedEvent): void => {
  const { get, upsert, deleteTags, insertTag } = statements(db);
  const row = get.get(event.data.clientId);
  const version = Number(recorded.revision) + 1;
  if (row && row.version >= version) return;
  const next = evolve(stateFromRow(row), event);
  if (next.status === 'absent') return;
  const { client } = next;
  upsert.run({
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
    version,
    position: positionToToken(recorded.position),
    created_at: row?.created_at ?? metadata.occurredAt,
    updated_at: metadata.occurredAt,
    created_by_id: row?.created_by_id ?? metadata.actor.id,
    created_by_name: row === undefined ? metadata.actor.name : row.created_by_name,
    deleted: next.status === 'deleted' ? 1 : 0,
  });
  if (event.type === 'ClientCreated' || event.type === 'TagAdded' || event.type === 'TagRemoved' || event.type === 'ClientDeleted') {
    deleteTags.run(client.id);
    if (next.status === 'active') for (const tag of client.tags) insertTag.run(client.id, client.tenantId, tag);
  }
};

/** The queryable list of clients: one row per client, deleted ones kept as tombstones. */
export const clientListProjection: Projection = {
  name: 'clientList',
  // 2: name_search is composed and sigma-folded (see searchKey).
  version: 2,
  handles: CLIENT_EVENT_TYPES,
  init(db) {
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
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS clients; DROP TABLE IF EXISTS client_tags;');
  },
  apply(events, db) {
    for (const projected of events) applyOne(db, projected);
  },
};
