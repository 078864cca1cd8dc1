import { createHash } from 'node:crypto';
import { type ClientOrder } from '../../src/readmodel';
import { type ClientState, evolve, initialState } from '../../src/domain/client';
import { ADMIN, type GivenClientEvent, TENANT_A, TENANT_B, created, metadataFor, minute } from '../testing/projectionSpecification';

/** A deterministic, well-spread UUID (v4 layout) for the n-th client of a fixture. */
export const uuidFor = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Names that test search and ordering: case variants, non-ASCII, decomposed accents, SQL wildcards. */
export const SPECIAL_NAMES = [
  'Customer Portal',
  'customer portal',
  'CUSTOMER PORTAL',
  'Ärzte-Portal',
  'ärzte-portal intern',
  'ΟΔΥΣΣΕΥΣ',
  'Café Crème',
  'Cafe\u0301 Noir',
  '100% Pure',
  'under_score',
  'Zeta',
  'Straße',
] as const;

/** How many clients tenant A has: more than the largest page, so the page limits can be seen. */
export const TENANT_A_CLIENTS = 130;

/** A client as the tests expect the list to show it, built from the events without the projection. */
export interface ModelClient {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

const nameOf = (n: number): string => SPECIAL_NAMES[n] ?? (n % 10 === 5 ? 'Same name' : `App ${String(n).padStart(3, '0')}`);

/**
 * The history behind the query tests: 130 clients in tenant A created three per minute (ties
 * on createdAt), every third one disabled, tags spread over them, a later wave of tag changes
 * two per minute (ties on updatedAt), every eleventh after the special names deleted; five clients in tenant B.
 */
export const queryHistory = (): GivenClientEvent[] => {
  const history: GivenClientEvent[] = [];
  const at = (occurredAt: string, tenantId = TENANT_A) => ({ occurredAt, tenantId, actor: { ...ADMIN } });
  for (let n = 0; n < TENANT_A_CLIENTS; n += 1) {
    const tags = [n % 2 === 0 ? 'spa' : null, n % 5 === 0 ? 'prod' : null, n % 7 === 0 ? 'team:blue' : null].filter(
      (tag): tag is string => tag !== null,
    );
    history.push({
      event: created(uuidFor(`a-${n}`), { name: nameOf(n), enabled: n % 3 !== 0, tags }),
      metadata: at(minute(Math.floor(n / 3))),
    });
  }
  for (let n = 1; n < TENANT_A_CLIENTS; n += 4) {
    history.push({ event: { type: 'TagAdded', data: { clientId: uuidFor(`a-${n}`), tag: 'late' } }, metadata: at(minute(100 + Math.floor(n / 8))) });
  }
  for (let n = SPECIAL_NAMES.length + 1; n < TENANT_A_CLIENTS; n += 11) {
    history.push({ event: { type: 'ClientDeleted', data: { clientId: uuidFor(`a-${n}`) } }, metadata: at(minute(200)) });
  }
  for (let n = 0; n < 5; n += 1) {
    history.push({
      event: created(uuidFor(`b-${n}`), { tenantId: TENANT_B, name: n === 0 ? 'Customer Portal' : `B app ${n}`, tags: ['spa', 'prod'] }),
      metadata: at(minute(300 + n), TENANT_B),
    });
  }
  return history;
};

/** Folds the history the way the list should show it. */
export const modelClients = (history: readonly GivenClientEvent[]): ModelClient[] => {
  const states = new Map<string, { state: ClientState; createdAt: string; updatedAt: string }>();
  history.forEach((given, index) => {
    const id = given.event.data.clientId;
    const { occurredAt } = metadataFor(index, given.metadata);
    const entry = states.get(id) ?? { state: initialState, createdAt: occurredAt, updatedAt: occurredAt };
    states.set(id, { state: evolve(entry.state, given.event), createdAt: entry.createdAt, updatedAt: occurredAt });
  });
  return [...states.values()].flatMap(({ state, createdAt, updatedAt }) =>
    state.status === 'absent'
      ? []
      : [
          {
            id: state.client.id,
            tenantId: state.client.tenantId,
            name: state.client.name,
            enabled: state.client.enabled,
            tags: state.client.tags,
            createdAt,
            updatedAt,
            deleted: state.status === 'deleted',
          },
        ],
  );
};

/**
 * Case-insensitive text as a person means it: canonically composed, lower case, and the Greek
 * final sigma the same letter as sigma. Written independently of the projection's own key.
 */
export const fold = (text: string): string => text.normalize('NFC').toLowerCase().normalize('NFC').replaceAll('ς', 'σ');

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Orders clients as the list should: by the field (names case-insensitively, byte order), ties by id; DESC is the exact reverse. */
export const sortClients = (clients: readonly ModelClient[], order: ClientOrder): ModelClient[] => {
  const key = (client: ModelClient): string =>
    order.field === 'NAME' ? fold(client.name) : order.field === 'CREATED_AT' ? client.createdAt : client.updatedAt;
  const sorted = [...clients].sort((a, b) => Buffer.compare(utf8(key(a)), utf8(key(b))) || Buffer.compare(utf8(a.id), utf8(b.id)));
  return order.direction === 'ASC' ? sorted : sorted.reverse();
};

/** Every order the list offers. */
export const ALL_ORDERS: ClientOrder[] = (['NAME', 'CREATED_AT', 'UPDATED_AT'] as const).flatMap((field) =>
  (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
);
