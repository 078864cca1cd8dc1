import { NotFoundError, ValidationError } from '../../errors';
import { type Client, type ClientEvent, type ClientState, evolveAll, isVisibleTo } from './client';
import { type ClientChangeCommand } from './commands';
import { invariantViolations } from './invariants';
import { type ValidSettings, settingChanges } from './settings';
import { parseClientId } from './values';
import { type Violations } from './violations';

/** How a command decides once its input is read: on the client it names (see PreparedCommand). */
export interface Plan {
  /** The client the command is about, its id in normal (lower-case) form. */
  clientId: string;
  /** The events the command leads to on `state`, whose fold `history` is (oldest first). */
  decide(state: ClientState, history?: readonly ClientEvent[]): ClientEvent[];
}

/** The client a command is about; another tenant's, or a state holding another client, is as good as absent. */
export const activeClient = (state: ClientState, tenantId: string, clientId: string): Client => {
  if (!isVisibleTo(state, tenantId) || state.client.id !== clientId) {
    throw new NotFoundError(`No authorization code client with id ${clientId}`);
  }
  return state.client;
};

/** Refuses what leaves the client breaking a rule on the whole of it that the events made worse. */
export const checkAfter = (events: ClientEvent[], state: ClientState, listField?: string): ClientEvent[] => {
  const after = evolveAll(events, state);
  if (after.status === 'active') {
    const broken = invariantViolations(state.status === 'active' ? state.client : null, after.client, listField);
    if (broken.length > 0) throw new ValidationError(broken);
  }
  return events;
};

/** What a command on an existing client changes, once its values are read: the events for the client as it is (and as it was). */
export type Changes = (client: Client, clientId: string, history: readonly ClientEvent[]) => ClientEvent[];

/**
 * A plan for a command on an existing client: its id read first (so its violation comes first),
 * then its values (`read`); the changes are checked on the client as a whole afterwards.
 */
export const onClient = (command: ClientChangeCommand, input: Violations, read: () => Changes, listField?: string): Plan => {
  const clientId = input.take(parseClientId(command.data.clientId, { field: 'clientId' })) ?? command.data.clientId;
  const changes = read();
  return {
    clientId,
    decide: (state, history = []) => checkAfter(changes(activeClient(state, command.tenantId, clientId), clientId, history), state, listField),
  };
};

/** A plan that gives the client the settings `read` names. */
export const changeSettings = (command: ClientChangeCommand, input: Violations, read: () => ValidSettings): Plan =>
  onClient(command, input, () => {
    const settings = read();
    return (client) => settingChanges(client, settings);
  });
