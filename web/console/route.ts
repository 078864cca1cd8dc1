import { useEffect, useState } from 'react';

/** The console's screens; the hash holds no token, only where you are. */
export type Route =
  | { page: 'clients' }
  | { page: 'addClient' }
  | { page: 'client'; id: string }
  | { page: 'clientVersion'; id: string; version: number }
  | { page: 'history' };

/** Reads a hash such as `#/clients/3f2b…` or `#/clients/3f2b…/versions/4` as a route; anything unknown is the client list. */
function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'clients' && parts[1] === 'new' && parts.length === 2) return { page: 'addClient' };
  if (parts[0] === 'clients' && parts[1] && parts.length === 2) return { page: 'client', id: parts[1] };
  if (parts[0] === 'clients' && parts[1] && parts[2] === 'versions' && /^[1-9][0-9]{0,8}$/.test(parts[3] ?? '') && parts.length === 4) {
    return { page: 'clientVersion', id: parts[1], version: Number(parts[3]) };
  }
  if (parts[0] === 'history' && parts.length === 1) return { page: 'history' };
  return { page: 'clients' };
}

/** The hash of a route, for links. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'clients':
      return '#/clients';
    case 'addClient':
      return '#/clients/new';
    case 'client':
      return `#/clients/${encodeURIComponent(route.id)}`;
    case 'clientVersion':
      return `#/clients/${encodeURIComponent(route.id)}/versions/${route.version}`;
    case 'history':
      return '#/history';
  }
}

/** Goes to a route (a new history entry, so Back works). */
export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

/** The current route, following the address bar. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
