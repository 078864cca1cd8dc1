import { type AddClientRequest } from '../../application/clientCommandHandler';
import { type ClientSettingsInput } from '../../domain/client';
import { type AddAuthorizationCodeClientInput, type UpdateAuthorizationCodeClientInput } from '../inputs/mutationInputs';

/** Null in an input means "not given" for settings that cannot be empty. */
const given = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** The settings an add or update input names; null means "not given" except for the URIs, where it clears. */
export const settingsOf = (
  input: UpdateAuthorizationCodeClientInput | AddAuthorizationCodeClientInput,
): Partial<ClientSettingsInput> => ({
  name: given(input.name),
  allowedRedirectUrls: given(input.allowedRedirectUrls),
  allowedLogoutRedirectUrls: given(input.allowedLogoutRedirectUrls),
  allowedCorsOrigins: given(input.allowedCorsOrigins),
  tokenLifetime: given(input.tokenLifetime),
  enabled: given(input.enabled),
  clientUri: input.clientUri,
  logoUri: input.logoUri,
  tags: given(input.tags),
});

/** The AddClient data an add input names; adding and checking an add both read the input through this. */
export const addClientData = (input: AddAuthorizationCodeClientInput): AddClientRequest['data'] => ({
  ...settingsOf(input),
  id: input.id,
  name: input.name,
  allowedRedirectUrls: input.allowedRedirectUrls,
});
