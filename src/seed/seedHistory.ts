import { type Client, type ClientCommand, type ClientEvent, type ClientState, LIMITS, decide, evolve, initialState } from '../domain/client';

/** A seeded source of numbers in [0, 1): the same seed gives the same data. */
export type Random = () => number;

/** Mulberry32: small, fast and good enough to vary test data; not for secrets. */
export const seededRandom = (seed: number): Random => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const COMPANIES = ['Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Vandelay', 'Pied Piper', 'Oscorp', 'Aperture', 'Gringotts', 'Monarch', 'Dunder Mifflin'];
const PRODUCTS = ['Billing', 'Payroll', 'Support Desk', 'Analytics', 'Field Service', 'Inventory', 'Travel', 'Expenses', 'Recruiting', 'Learning', 'Loyalty', 'Marketplace', 'Claims', 'Scheduling', 'Telemetry', 'Docs', 'Chat', 'Wallet'];
const KINDS = ['Portal', 'Mobile (iOS)', 'Mobile (Android)', 'Desktop', 'Admin', 'SPA', 'CLI', 'Kiosk', 'Partner App', 'Assistant'];
const TAGS = ['production', 'staging', 'dev', 'internal', 'partner', 'mobile', 'spa', 'native', 'team:payments', 'team:growth', 'team:core', 'region:eu', 'region:us', 'pci', 'beta', 'legacy'];
const LIFETIMES = [300, 600, 900, 1800, 3600];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** What one client's made-up settings derive from: its app name and its host. */
interface Persona {
  name: string;
  host: string;
  scheme: string;
}

const personaOf = (random: Random, index: number): Persona => {
  const company = pick(random, COMPANIES);
  const product = pick(random, PRODUCTS);
  const name = `${company} ${product} ${pick(random, KINDS)}`;
  const host = `${slug(product)}-${index.toString(36)}.${slug(company)}.example`;
  return { name, host, scheme: `com.${slug(company).replace(/-/g, '')}.${slug(product).replace(/-/g, '')}${index.toString(36)}` };
};

/** A redirect URL of one of the forms clients really register: https, loopback (native), private-use scheme. */
const redirectUrl = (random: Random, persona: Persona, step: number): string => {
  const form = random();
  if (form < 0.6) return `https://${persona.host}/${pick(random, ['callback', 'auth/callback', 'signin-oidc', 'oauth2/redirect'])}${step > 0 ? `/${step}` : ''}`;
  if (form < 0.8) return `http://127.0.0.1:${8000 + Math.floor(random() * 2000)}/callback`;
  return `${persona.scheme}:/oauth2redirect${step > 0 ? `/${step}` : ''}`;
};

/** The add of a new client: a name, one or two redirect URLs, sometimes logout URLs, origins, tags. */
const addCommand = (random: Random, persona: Persona, tenantId: string, id: string): ClientCommand => ({
  type: 'AddClient',
  tenantId,
  data: {
    id,
    name: persona.name,
    allowedRedirectUrls: [...new Set([redirectUrl(random, persona, 0), ...(random() < 0.4 ? [redirectUrl(random, persona, 1)] : [])])],
    allowedLogoutRedirectUrls: random() < 0.5 ? [`https://${persona.host}/signed-out`] : [],
    allowedCorsOrigins: random() < 0.3 ? [`https://${persona.host}`] : [],
    tokenLifetime: pick(random, LIFETIMES),
    enabled: random() < 0.95,
    clientUri: random() < 0.4 ? `https://${persona.host}/` : null,
    tags: [...new Set([pick(random, TAGS), ...(random() < 0.5 ? [pick(random, TAGS)] : [])])],
  },
  reason: random() < 0.3 ? 'Onboarding a new application' : null,
});

/** One everyday change to a live client, chosen so that most are accepted; `decide` has the last word. */
const changeCommand = (random: Random, persona: Persona, client: Client, step: number): ClientCommand => {
  const { tenantId, id: clientId } = client;
  const roll = random();
  if (roll < 0.2) return { type: 'AddRedirectUrl', tenantId, data: { clientId, url: redirectUrl(random, persona, step) } };
  if (roll < 0.3 && client.allowedRedirectUrls.length > 1) {
    return { type: 'RemoveRedirectUrl', tenantId, data: { clientId, url: pick(random, client.allowedRedirectUrls) }, reason: 'No longer used' };
  }
  if (roll < 0.45) return { type: 'RenameClient', tenantId, data: { clientId, name: `${persona.name}${random() < 0.5 ? ` v${step}` : ' (renamed)'}` } };
  if (roll < 0.55) return { type: 'SetTokenLifetime', tenantId, data: { clientId, seconds: pick(random, LIFETIMES) } };
  if (roll < 0.65) return { type: 'AddLogoutRedirectUrl', tenantId, data: { clientId, url: `https://${persona.host}/bye/${step}` } };
  if (roll < 0.75) return { type: 'AddCorsOrigin', tenantId, data: { clientId, origin: `https://app${step}.${persona.host}` } };
  if (roll < 0.85) return { type: client.enabled ? 'DisableClient' : 'EnableClient', tenantId, data: { clientId }, reason: client.enabled ? 'Paused during an incident' : null };
  const tags = client.tags.length > 1 && random() < 0.3 ? client.tags.slice(1) : [...new Set([...client.tags, pick(random, TAGS)])];
  return { type: 'UpdateClient', tenantId, data: { clientId, tags } };
};

/** True while a client may take one more change of every kind without breaking a list bound. */
const roomFor = (client: Client): boolean =>
  client.allowedRedirectUrls.length < LIMITS.redirectUrls && client.allowedLogoutRedirectUrls.length < LIMITS.logoutRedirectUrls && client.allowedCorsOrigins.length < LIMITS.corsOrigins;

/**
 * The events of one made-up client, exactly `events` of them (at least 1): its creation, then
 * everyday changes, each decided by the real decider on the state so far. Pure apart from `random`.
 */
export const seedClientEvents = (random: Random, options: { index: number; tenantId: string; id: string; events: number }): ClientEvent[] => {
  const persona = personaOf(random, options.index);
  const history: ClientEvent[] = [];
  let state: ClientState = initialState;
  const apply = (command: ClientCommand): void => {
    let decided: ClientEvent[];
    try {
      decided = decide(command, state).slice(0, options.events - history.length);
    } catch {
      return;
    }
    state = decided.reduce(evolve, state);
    history.push(...decided);
  };
  apply(addCommand(random, persona, options.tenantId, options.id));
  for (let step = 1; history.length < options.events && state.status === 'active'; step += 1) {
    const { tenantId, id: clientId } = state.client;
    const last = history.length === options.events - 1;
    // A few clients end deleted; a client whose lists are full, or whose changes keep being refused, is renamed.
    if (last && random() < 0.02) apply({ type: 'DeleteClient', tenantId, data: { clientId }, reason: 'Application retired' });
    else if (roomFor(state.client) && step < options.events * 4) apply(changeCommand(random, persona, state.client, step));
    else apply({ type: 'RenameClient', tenantId, data: { clientId, name: `${persona.name} ${step}` } });
  }
  return history;
};
