import path from 'node:path';
import { readEnvironment } from '../environment';
import { isLoopbackHost } from '../jsutils';
import { ConfigError } from './configError';
import { DEV_AUDIENCE, DEV_ISSUER, devSigningKeyPath } from './devSigningKey';

/** Tokens are verified with the keys published at a JWKS URL (the identity provider's). */
export interface JwksAuthConfig {
  mode: 'jwks';
  jwksUrl: string;
  issuer: string;
  audience: string;
}

/** Tokens are verified with the public key(s) in a local file: PEM (SPKI or certificate), JWK or JWKS. */
export interface PublicKeyFileAuthConfig {
  mode: 'publicKeyFile';
  publicKeyFile: string;
  issuer: string;
  audience: string;
}

/** Development: tokens are signed and verified with a key kept in the data directory. */
export interface DevAuthConfig {
  mode: 'dev';
  dataDir: string;
  issuer: typeof DEV_ISSUER;
  audience: typeof DEV_AUDIENCE;
}

/** How bearer tokens are verified; made by {@link resolveAuthConfig}. */
export type AuthConfig = JwksAuthConfig | PublicKeyFileAuthConfig | DevAuthConfig;

/** The environment variables {@link resolveAuthConfig} reads. */
const AUTH_ENV = {
  jwksUrl: 'AUTH_JWKS_URL',
  publicKeyFile: 'AUTH_PUBLIC_KEY_FILE',
  issuer: 'AUTH_ISSUER',
  audience: 'AUTH_AUDIENCE',
} as const;

/**
 * Reads the auth settings from the environment. Production (NODE_ENV=production) requires a JWKS
 * URL or a public key file; anywhere, a key source requires issuer and audience. With nothing
 * configured outside production the development key in `dataDir` is used.
 * @throws ConfigError saying what is wrong and which variables to set.
 */
export function resolveAuthConfig(env: NodeJS.ProcessEnv, dataDir: string): AuthConfig {
  const jwksUrl = setting(env, AUTH_ENV.jwksUrl);
  const publicKeyFile = setting(env, AUTH_ENV.publicKeyFile);
  const issuer = setting(env, AUTH_ENV.issuer);
  const audience = setting(env, AUTH_ENV.audience);
  const production = isProduction(env);

  if (jwksUrl && publicKeyFile) {
    throw new ConfigError(
      `Both ${AUTH_ENV.jwksUrl} and ${AUTH_ENV.publicKeyFile} are set; tokens are verified with one key source, so set only one of them.`,
    );
  }
  if (!jwksUrl && !publicKeyFile) {
    if (production) {
      throw new ConfigError(
        'Refusing to start: NODE_ENV is production but token verification is not configured, and the ' +
          'development signing key is never used in production. Set ' +
          `${AUTH_ENV.jwksUrl} (your identity provider's JWKS endpoint) or ${AUTH_ENV.publicKeyFile} ` +
          `(a PEM public key, JWK or JWKS file), together with ${AUTH_ENV.issuer} (the tokens' iss claim) ` +
          `and ${AUTH_ENV.audience} (the aud claim tokens must carry for this API).`,
      );
    }
    if (issuer || audience) {
      const set = [issuer && AUTH_ENV.issuer, audience && AUTH_ENV.audience].filter(Boolean).join(' and ');
      throw new ConfigError(
        `${set} ${issuer && audience ? 'are' : 'is'} set but neither ${AUTH_ENV.jwksUrl} nor ${AUTH_ENV.publicKeyFile} is: ` +
          `set one of them to verify tokens from your identity provider, or unset ${set} to use the development signing key.`,
      );
    }
    return { mode: 'dev', dataDir: path.resolve(dataDir), issuer: DEV_ISSUER, audience: DEV_AUDIENCE };
  }

  const source = jwksUrl ? AUTH_ENV.jwksUrl : AUTH_ENV.publicKeyFile;
  const missing = [!issuer && AUTH_ENV.issuer, !audience && AUTH_ENV.audience].filter(Boolean);
  if (!issuer || !audience) {
    throw new ConfigError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required when ${source} is set: ` +
        `tokens are accepted only from the configured issuer (${AUTH_ENV.issuer}, the iss claim) and for ` +
        `this API's audience (${AUTH_ENV.audience}, the aud claim).`,
    );
  }
  if (jwksUrl) return { mode: 'jwks', jwksUrl: checkJwksUrl(jwksUrl, production), issuer, audience };
  return { mode: 'publicKeyFile', publicKeyFile: path.resolve(publicKeyFile ?? ''), issuer, audience };
}

/** Whether NODE_ENV says production (ignoring case and spaces, so a typo in case cannot enable dev keys). */
export function isProduction(env: NodeJS.ProcessEnv): boolean {
  return readEnvironment(env, 'NODE_ENV').toLowerCase() === 'production';
}

/** One line for the startup log saying where accepted tokens come from. */
export function describeAuthConfig(config: AuthConfig): string {
  switch (config.mode) {
    case 'jwks':
      return `Accepting tokens from ${config.issuer} for ${config.audience}, keys from ${config.jwksUrl}`;
    case 'publicKeyFile':
      return `Accepting tokens from ${config.issuer} for ${config.audience}, keys from ${config.publicKeyFile}`;
    case 'dev':
      return (
        `Development mode: accepting tokens signed by ${devSigningKeyPath(config.dataDir)}; ` +
        'get one with: npm run token -- --tenant <id> --role "Tenant Administrator"'
      );
  }
}

function setting(env: NodeJS.ProcessEnv, name: (typeof AUTH_ENV)[keyof typeof AUTH_ENV]): string | undefined {
  return readEnvironment(env, name) || undefined;
}

function checkJwksUrl(value: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${AUTH_ENV.jwksUrl} is not a valid URL.`);
  }
  const plainHttpAllowed = !production || isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed)) {
    throw new ConfigError(
      `${AUTH_ENV.jwksUrl} must be an https URL (http is accepted only for localhost in production, ` +
        'since keys fetched in the clear could be replaced).',
    );
  }
  return url.href;
}
