import { type ClientRow, clientFromRow, searchKey } from '../../projections';
import { type Actor, type Client } from '../domain/client';
import { type ReadModelDatabase, prepared } from './database';
import { keysetPage } from './keyset';
import { type Page, type PageArgs, resolvePage } from './pagination';

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
export const getClient = (db: ReadModelDatabase, tenantId: string, id: string): ClientView | null => {
  const row = prepared(db, 'SELECT * FROM clients WHERE id = ? AND tenant_id = ? AND deleted = 0').get(id.trim().toLowerCase(), tenantId) as
    | ClientRow
    | undefined;
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
