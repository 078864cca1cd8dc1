import { entryLeafHash, toHex } from '../src/audit/logEntry';
import { CLIENT_EVENT_TYPES, type Client, type ClientEvent, type ClientState, clientVersion, evolveAsRecorded } from '../src/domain/client';
import { type JsonValue, positionToToken } from '../src/eventstore';
import {
  type AuditRow,
  type FieldChange,
  type ReadModelDatabase,
  type AuditLogAppender,
  auditLogAppender,
  createAuditClientStateTable,
  createAuditEntryTable,
  createAuditLogTable,
  dropAuditClientStateTable,
  dropAuditEntryTable,
  dropAuditLogTable,
  insertAuditEntry,
  logEntryOf,
  readAuditClientStates,
  recordedAuditEventIds,
  writeAuditClientState,
} from '../src/readmodel';
import { type ProjectedEvent, type Projection } from './projection';

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
  RegistrationAccessTokenIssued: 'client.registration_token.issued',
};

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
const changesBetween = (before: ClientState, after: ClientState): FieldChange[] => {
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

/** The entry one event makes, given the client's state after it and what changed, at its place in the log. */
const entryFor = (
  { event, metadata, recorded }: ProjectedEvent,
  after: ClientState,
  changes: FieldChange[],
  leafIndex: number,
): Omit<AuditRow, 'seq' | 'leaf_hash'> => ({
  leaf_index: leafIndex,
  event_id: recorded.id,
  position: positionToToken(recorded.position),
  tenant_id: metadata.tenantId,
  client_id: event.data.clientId,
  client_name: after.status === 'absent' ? '' : after.client.name,
  version: clientVersion(recorded.revision),
  action: AUDIT_ACTIONS[event.type],
  occurred_at: metadata.occurredAt,
  actor_id: metadata.actor.id,
  actor_name: metadata.actor.name,
  reason: metadata.reason,
  operation_id: metadata.operationId,
  correlation_id: metadata.correlationId,
  changes: JSON.stringify(changes),
});

/** Records the event's entry as the next leaf of its tenant's audit log, in the table and in the tree. */
const appendEntry = (db: ReadModelDatabase, log: AuditLogAppender, projected: ProjectedEvent, before: ClientState, after: ClientState): void => {
  const { tenantId } = projected.metadata;
  const changes = changesBetween(before, after);
  const entry = entryFor(projected, after, changes, log.nextIndex(tenantId));
  const hash = entryLeafHash(logEntryOf(entry, changes));
  insertAuditEntry(db, { ...entry, leaf_hash: toHex(hash) });
  log.append(tenantId, hash);
};

/**
 * Writes one entry per event not yet recorded, folding each client's state in memory from its
 * stored state (read once per batch) and storing each changed state once at the end. Each entry
 * is the next leaf of its tenant's log, in the order the events were recorded.
 */
const applyBatch = (events: readonly ProjectedEvent[], db: ReadModelDatabase): void => {
  // Checked before inserting: an INSERT that ends in a conflict still uses up an AUTOINCREMENT
  // number, so replayed events would leave gaps in `seq` that a rebuild does not have.
  const recorded = recordedAuditEventIds(db, events.map((projected) => projected.recorded.id));
  const fresh = events.filter((projected) => !recorded.has(projected.recorded.id));
  const stored = readAuditClientStates(db, [...new Set(fresh.map(({ event }) => event.data.clientId))]);
  // In the order first changed: new rows get their rowids in the order of their first event, whatever the batches.
  const changed = new Map<string, ClientState>();
  const log = auditLogAppender(db);
  for (const projected of fresh) {
    const { clientId } = projected.event.data;
    const before: ClientState = changed.get(clientId) ?? stored.get(clientId) ?? { status: 'absent' };
    // As recorded: an entry, hashed into the signed heads, shows what its event recorded, whatever today's normal form.
    const after = evolveAsRecorded(before, projected.event);
    appendEntry(db, log, projected, before, after);
    changed.set(clientId, after);
  }
  // A registered client's token hash is no audit fact: the stored fold keeps the client only.
  for (const [clientId, state] of changed) writeAuditClientState(db, clientId, state.status === 'active' ? { status: 'active', client: state.client } : state);
};

/**
 * Who changed what, when and why (table `audit_entries`): one entry per event, with before and
 * after values, each a leaf of its tenant's verifiable log (`audit_log_nodes`). It keeps its own
 * fold of every client in `audit_client_states` (see that module).
 */
export const auditTrailProjection: Projection = {
  name: 'auditTrail',
  // 2: creation entries list every field (unset ones too); replays no longer leave seq gaps.
  // 3: each entry is a leaf of its tenant's Merkle tree (audit_log_nodes), and shows the client's version.
  version: 3,
  handles: CLIENT_EVENT_TYPES,
  init(db) {
    createAuditEntryTable(db);
    createAuditClientStateTable(db);
    createAuditLogTable(db);
  },
  reset(db) {
    dropAuditEntryTable(db);
    dropAuditClientStateTable(db);
    dropAuditLogTable(db);
  },
  apply: applyBatch,
};
