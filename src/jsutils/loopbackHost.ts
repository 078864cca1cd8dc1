const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Loopback hosts as written (any case): `localhost`, `127.0.0.1`, `[::1]`, the only hosts where
 * plain http is accepted; never a form WHATWG would normalise to one.
 */
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host.toLowerCase());
