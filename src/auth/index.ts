export type { Principal } from './principal';
export type { Role } from './roles';
export { ROLES, ROLE_NAMES, assertCanRead, assertCanWrite, canRead, canWrite, isRole } from './roles';
export { ConfigError } from './configError';
export type { AuthConfig, DevAuthConfig, JwksAuthConfig, PublicKeyFileAuthConfig } from './authConfig';
export { AUTH_ENV, describeAuthConfig, isProduction, resolveAuthConfig } from './authConfig';
export type { JwksOptions } from './verificationKeys';
export { ACCEPTED_ALGORITHMS } from './verificationKeys';
export type { TokenVerifier, TokenVerifierOptions } from './tokenVerifier';
export { createTokenVerifier } from './tokenVerifier';
export type { DevSigningKey } from './devSigningKey';
export {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_SIGNING_ALGORITHM,
  DEV_SIGNING_KEY_FILE,
  devSigningKeyPath,
  loadOrCreateDevSigningKey,
} from './devSigningKey';
export type { MintDevTokenOptions } from './mintDevToken';
export { DEV_DEFAULT_SUBJECT, DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS, mintDevToken } from './mintDevToken';
