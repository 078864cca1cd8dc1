import { ForbiddenError } from '../errors';
import { type Principal } from './principal';

/** The role names this service understands; any other role grants nothing. */
export const ROLES = {
  /** May do everything within its tenant. */
  administrator: 'Tenant Administrator',
  /** May run every query, but no mutation. */
  auditor: 'Tenant Auditor',
} as const;

/** One of the role names in {@link ROLES}. */
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** Every known role name, for listing and validation. */
export const ROLE_NAMES: readonly Role[] = Object.values(ROLES);

/** Whether a string is one of the known role names (exact spelling). */
export function isRole(value: string): value is Role {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

/** Whether the principal may run queries (Tenant Auditor or Tenant Administrator). */
export function canRead(principal: Principal): boolean {
  return principal.roles.includes(ROLES.administrator) || principal.roles.includes(ROLES.auditor);
}

/** Whether the principal may run mutations (Tenant Administrator). */
export function canWrite(principal: Principal): boolean {
  return principal.roles.includes(ROLES.administrator);
}

/** Throws ForbiddenError unless the principal may run queries. */
export function assertCanRead(principal: Principal): void {
  if (!canRead(principal)) {
    throw new ForbiddenError(
      `Reading clients requires the role "${ROLES.auditor}" or "${ROLES.administrator}"`,
      { requiredRoles: [ROLES.auditor, ROLES.administrator] },
    );
  }
}

/** Throws ForbiddenError unless the principal may run mutations. */
export function assertCanWrite(principal: Principal): void {
  if (!canWrite(principal)) {
    throw new ForbiddenError(`Changing clients requires the role "${ROLES.administrator}"`, {
      requiredRoles: [ROLES.administrator],
    });
  }
}
