import { matchRedirectUrl } from '../../domain/client';
import { NotFoundError } from '../../errors';
import { type ClientView } from '../../readmodel';
import { type RedirectUrlMatch } from '../types/redirectMatch';

/** The domain's answer for the client's allowed redirect URLs, in the GraphQL shape; NOT_FOUND when the caller cannot see the client. */
export const redirectUrlMatchOf = (client: ClientView | null, clientId: string, url: string): RedirectUrlMatch => {
  if (client === null) throw new NotFoundError(`No authorization code client with id ${clientId}`);
  const { nearest, ...match } = matchRedirectUrl(client.allowedRedirectUrls, url);
  return {
    ...match,
    nearest: nearest && { url: nearest.url, differences: nearest.differences.map((difference) => difference.message), details: nearest.differences },
  };
};
