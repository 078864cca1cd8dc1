export type { Principal } from './principal';
export type { Role } from './roles';
export { ROLES, ROLE_NAMES, assertCanRead, assertCanWrite, canRead, canWrite, isRole } from './roles';
export { ConfigError } from './configError';
export type { AuthConfig, JwksAuthConfig, PublicKeyFileAuthConfig } from './authConfig';
export { describeAuthConfig, isProduction, resolveAuthConfig } from './authConfig';
export type { TokenVerifier, VerifiedToken } from './tokenVerifier';
export { createTokenVerifier } from './tokenVerifier';
export {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_SIGNING_KEY_FILE,
  loadOrCreateDevSigningKey,
} from './devSigningKey';
export { DEV_DEFAULT_SUBJECT, DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS, mintDevToken } from './mintDevToken';
export { MAX_TENANT_ID_LENGTH, tenantIdProblem } from './tenantId';
export { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './tokenLifetime';
export { OPERATOR_TOKEN_FILE, isOperatorBearer, loadOrCreateOperatorToken, operatorTokenPath, readOperatorToken } from './operatorToken';
