import { type Database } from 'better-sqlite3';
import { CLIENT_EVENT_TYPES, type Client, type ClientEvent, type ClientState, evolve } from '../src/domain/client';
import { type JsonValue, positionToToken } from '../src/eventstore';
import { type ProjectedEvent, type Projection, preparedFor } from './projection';

/** The audit action each event is shown as. */
export const AUDIT_ACTIONS: Readonly<Record<ClientEvent['type'], string>> = {
  ClientCreated: 'client.created',
  ClientRenamed: 'client.renamed',
  TokenLifetimeChanged: 'client.token_lifetime.changed',
  RedirectUrlAdded: 'client.redirect_url.added',
  RedirectUrlRemoved: 'client.redirect_url.removed',
  LogoutRedirectUrlAdded: 'client.logout_redirect_url.added',
  LogoutRedirectUrlRemoved: 'client.logout_redirect_url.removed',
  CorsOriginAdded: 'client.cors_origin.added',
  CorsOriginRemoved: 'client.cors_origin.removed',
  ClientEnabled: 'client.enabled',
  ClientDisabled: 'client.disabled',
  ClientUriChanged: 'client.client_uri.changed',
  LogoUriChanged: 'client.logo_uri.changed',
  TagAdded: 'client.tag.added',
  TagRemoved: 'client.tag.removed',
  ClientDeleted: 'client.deleted',
};

/** One field an event changed, with its JSON value before and after. */
export interface FieldChange {
  field: string;
  before: JsonValue;
  after: JsonValue;
}

/** A row of the `audit_entries` table. */
export interface AuditRow {
  seq: number;
  event_id: string;
  position: string;
  tenant_id: string;
  client_id: string;
  client_name: string;
  action: string;
  occurred_at: string;
  actor_id: string;
  actor_name: string | null;
  reason: string | null;
  operation_id: string;
  correlation_id: string;
  changes: string;
}

const AUDITED_FIELDS = [
  'name',
  'enabled',
  'tokenLifetime',
  'allowedRedirectUrls',
  'allowedLogoutRedirectUrls',
  'allowedCorsOrigins',
  'clientUri',
  'logoUri',
  'tags',
] as const satisfies readonly (keyof Client)[];

/** The fields that differ between two states of a client; creation shows every field from null. */
export const changesBetween = (before: ClientState, after: ClientState): FieldChange[] => {
  if (after.status === 'deleted' && before.status === 'active') {
    return [{ field: 'deleted', before: false, after: true }];
  }
  if (after.status !== 'active') return [];
  if (before.status === 'absent') {
    // Every setting the client starts with, unset ones (null) too: the entry is its full record.
    return AUDITED_FIELDS.map((field) => ({ field, before: null, after: after.client[field] }));
  }
  const old = before.client;
  return AUDITED_FIELDS.flatMap((field) => {
    const was: JsonValue = old[field];
    const now: JsonValue = after.client[field];
    return JSON.stringify(was) === JSON.stringify(now) ? [] : [{ field, before: was, after: now }];
  });
};

const statements = preparedFor((db) => ({
  recorded: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM audit_entries WHERE event_id = ?'),
  getState: db.prepare<[string], { state: string }>('SELECT state FROM audit_client_states WHERE client_id = ?'),
  putState: db.prepare<[string, string]>(
    'INSERT INTO audit_client_states (client_id, state) VALUES (?, ?) ON CONFLICT (client_id) DO UPDATE SET state = excluded.state',
  ),
  insert: db.prepare<Omit<AuditRow, 'seq'>>(
    `INSERT INTO audit_entries (event_id, position, tenant_id, client_id, client_name, action, occurred_at,
       actor_id, actor_name, reason, operation_id, correlation_id, changes)
     VALUES (@event_id, @position, @tenant_id, @client_id, @client_name, @action, @occurred_at,
       @actor_id, @actor_name, @reason, @operation_id, @correlation_id, @changes)`,
  ),
}));

const applyOne = (db: Database, { event, metadata, recorded }: ProjectedEvent): void => {
  const { recorded: alreadyRecorded, getState, putState, insert } = statements(db);
  // Checked before inserting: an INSERT that ends in a conflict still uses up an AUTOINCREMENT
  // number, so replayed events would leave gaps in `seq` that a rebuild does not have.
  if (alreadyRecorded.get(recorded.id)) return;
  const stored = getState.get(event.data.clientId);
  const before: ClientState = stored ? (JSON.parse(stored.state) as ClientState) : { status: 'absent' };
  const after = evolve(before, event);
  insert.run({
    event_id: recorded.id,
    position: positionToToken(recorded.position),
    tenant_id: metadata.tenantId,
    client_id: event.data.clientId,
    client_name: after.status === 'absent' ? '' : after.client.name,
    action: AUDIT_ACTIONS[event.type],
    occurred_at: metadata.occurredAt,
    actor_id: metadata.actor.id,
    actor_name: metadata.actor.name,
    reason: metadata.reason,
    operation_id: metadata.operationId,
    correlation_id: metadata.correlationId,
    changes: JSON.stringify(changesBetween(before, after)),
  });
  putState.run(event.data.clientId, JSON.stringify(after));
};

/** Who changed what, when and why: one entry per event, with before and after values. */
export const auditTrailProjection: Projection = {
  name: 'auditTrail',
  // 2: creation entries list every field (unset ones too); replays no longer leave seq gaps.
  version: 2,
  handles: CLIENT_EVENT_TYPES,
  init(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit_entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        position TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        client_name TEXT NOT NULL,
        action TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT,
        reason TEXT,
        operation_id TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        changes TEXT NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS audit_by_tenant ON audit_entries (tenant_id, seq);
      CREATE INDEX IF NOT EXISTS audit_by_client ON audit_entries (tenant_id, client_id, seq);
      CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_entries (tenant_id, actor_id, seq);
      CREATE INDEX IF NOT EXISTS audit_by_time ON audit_entries (tenant_id, occurred_at);
      CREATE TABLE IF NOT EXISTS audit_client_states (
        client_id TEXT PRIMARY KEY,
        state TEXT NOT NULL
      ) STRICT;
    `);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS audit_entries; DROP TABLE IF EXISTS audit_client_states;');
  },
  apply(events, db) {
    for (const projected of events) applyOne(db, projected);
  },
};
