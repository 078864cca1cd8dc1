import { UnauthenticatedError, type Violation } from '../../errors';
import { sameText } from '../../jsutils';
import { type ApplicationType, type ClientEvent, type ClientState, type Registration } from './client';
import { type AddClient, type DeleteRegisteredClient, type RegisterClient, type ReplaceRegisteredClient } from './commands';
import { type Plan, onClient } from './plan';
import { parseSettings, settingChanges } from './settings';
import { parseRedirectUrl } from './values';
import { type Violations } from './violations';

/** The client's current registration (its latest token), or null when it has none: never issued one, or deleted. */
export const registrationOf = (state: ClientState): Registration | null => (state.status === 'active' ? (state.registration ?? null) : null);

/** Whether `presentedTokenHash` is the hash of the client's current registration access token (compared in constant time). */
export const holdsRegistrationToken = (state: ClientState, presentedTokenHash: string): boolean => {
  const registration = registrationOf(state);
  return registration !== null && sameText(registration.tokenHash, presentedTokenHash);
};

const refuseToken = () =>
  new UnauthenticatedError('The registration access token is not valid for this client: wrong, rotated, or revoked when the client was deleted');

/**
 * The plan, decided only when `presentedTokenHash` is the client's current token's: checked on the
 * state the events are appended after, so a token rotated or revoked meanwhile loses the race.
 */
const withToken = (plan: Plan, presentedTokenHash: string): Plan => ({
  clientId: plan.clientId,
  decide(state, history) {
    if (!holdsRegistrationToken(state, presentedTokenHash)) throw refuseToken();
    return plan.decide(state, history);
  },
});

/** The message of a web application's redirect URL that is not https, in the words the protocol layer repeats. */
export const WEB_REDIRECT_MESSAGE =
  'A client of application_type web may use only https redirect URLs (OpenID Connect Dynamic Client Registration 1.0 §2)';

/** Notes every redirect URL a web application may not use: valid by the ordinary rules, but not https. */
const checkApplicationType = (applicationType: ApplicationType | null, urls: readonly string[] | undefined, input: Violations): void => {
  if (applicationType !== 'web' || urls === undefined) return;
  urls.forEach((raw, index) => {
    const parsed = parseRedirectUrl(raw, {
      field: 'allowedRedirectUrls',
      index,
    });
    if (parsed.ok && !parsed.value.toLowerCase().startsWith('https:')) {
      const violation: Violation = {
        field: 'allowedRedirectUrls',
        index,
        rule: 'redirectUrl',
        message: WEB_REDIRECT_MESSAGE,
      };
      input.add(violation);
    }
  });
};

/** The settings of a replace, without the ids and hashes that ride along. */
const withoutIds = ({
  clientId: _clientId,
  presentedTokenHash: _presented,
  ...settings
}: Omit<ReplaceRegisteredClient['data'], 'tokenHash' | 'applicationType'>) => settings;

const tokenIssued = (clientId: string, tokenHash: string, applicationType: ApplicationType | null): ClientEvent => ({
  type: 'RegistrationAccessTokenIssued',
  data: { clientId, tokenHash, applicationType },
});

/** A plan that creates the client as AddClient does, with its first registration access token. */
export const registerClient = (
  command: RegisterClient,
  input: Violations,
  addClient: (command: AddClient, input: Violations, also: (clientId: string) => ClientEvent[]) => Plan,
): Plan => {
  const { applicationType, tokenHash, ...data } = command.data;
  checkApplicationType(applicationType, data.allowedRedirectUrls, input);
  return addClient({ ...command, type: 'AddClient', data }, input, (clientId) => [tokenIssued(clientId, tokenHash, applicationType)]);
};

/** A plan that checks the presented token, gives the client the settings named, and rotates its token. */
export const replaceRegisteredClient = (command: ReplaceRegisteredClient, input: Violations): Plan =>
  withToken(
    onClient(command, input, () => {
      const { tokenHash, applicationType, ...rest } = command.data;
      checkApplicationType(applicationType, rest.allowedRedirectUrls, input);
      const settings = parseSettings(withoutIds(rest), input);
      return (client, clientId) => [...settingChanges(client, settings), tokenIssued(clientId, tokenHash, applicationType)];
    }),
    command.data.presentedTokenHash,
  );

/** A plan that checks the presented token and deletes the client (which revokes the token). */
export const deleteRegisteredClient = (command: DeleteRegisteredClient, input: Violations): Plan =>
  withToken(
    onClient(command, input, () => (_client, clientId) => [{ type: 'ClientDeleted', data: { clientId } }]),
    command.data.presentedTokenHash,
  );
