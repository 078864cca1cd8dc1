import { LIMITS, matchRedirectUrl } from '../../domain/client';
import { NotFoundError, ValidationError } from '../../errors';
import { type ClientView } from '../../readmodel';
import { type RedirectUrlMatch } from '../types/redirectMatch';

/** No redirect URL is longer than registration allows, so a longer one is refused before anything is compared. */
const checkedUrl = (url: string): string => {
  const length = [...url].length;
  if (length > LIMITS.urlLength) {
    throw new ValidationError([
      { field: 'url', rule: 'redirectUrl', message: `Redirect URL must be at most ${LIMITS.urlLength} characters long (it has ${length})` },
    ]);
  }
  return url;
};

/** The domain's answer for the client's allowed redirect URLs, in the GraphQL shape; BAD_USER_INPUT for a URL too long, NOT_FOUND when the caller cannot see the client. */
export const redirectUrlMatchOf = (client: ClientView | null, clientId: string, url: string): RedirectUrlMatch => {
  const presented = checkedUrl(url);
  if (client === null) throw new NotFoundError(`No authorization code client with id ${clientId}`);
  const { nearest, ...match } = matchRedirectUrl(client.allowedRedirectUrls, presented);
  return {
    ...match,
    nearest: nearest && { url: nearest.url, differences: nearest.differences.map((difference) => difference.message), details: nearest.differences },
  };
};
