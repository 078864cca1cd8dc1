import {
  ROLES,
  ROLE_NAMES,
  type Principal,
  assertCanRead,
  assertCanWrite,
  canRead,
  canWrite,
  isRole,
} from '../../src/auth';
import { ForbiddenError } from '../../src/errors';

const principal = (roles: string[]): Principal => ({ id: 'u1', name: null, tenantId: 't1', roles });

describe('roles', () => {
  it('names the two roles of the platform', () => {
    expect(ROLES).toEqual({ administrator: 'Tenant Administrator', auditor: 'Tenant Auditor' });
    expect(ROLE_NAMES).toEqual(['Tenant Administrator', 'Tenant Auditor']);
    expect(isRole('Tenant Auditor')).toBe(true);
    expect(isRole('tenant auditor')).toBe(false);
  });

  it('lets a Tenant Administrator read and write', () => {
    const admin = principal(['Tenant Administrator']);
    expect([canRead(admin), canWrite(admin)]).toEqual([true, true]);
    expect(() => assertCanRead(admin)).not.toThrow();
    expect(() => assertCanWrite(admin)).not.toThrow();
  });

  it('lets a Tenant Auditor read but not write', () => {
    const auditor = principal(['Tenant Auditor']);
    expect([canRead(auditor), canWrite(auditor)]).toEqual([true, false]);
    expect(() => assertCanRead(auditor)).not.toThrow();
    expect(() => assertCanWrite(auditor)).toThrow(ForbiddenError);
    expect(() => assertCanWrite(auditor)).toThrow('Changing clients requires the role "Tenant Administrator"');
  });

  it.each([[[]], [['Reader']], [['tenant administrator']], [['Global Administrator', 'Tenant']]])(
    'forbids everything to roles %j',
    (roles) => {
      const other = principal(roles);
      expect([canRead(other), canWrite(other)]).toEqual([false, false]);
      expect(() => assertCanRead(other)).toThrow(/requires the role "Tenant Auditor" or "Tenant Administrator"/);
      expect(() => assertCanWrite(other)).toThrow(ForbiddenError);
    },
  );

  it('reports the required roles in the error details', () => {
    try {
      assertCanWrite(principal([]));
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).code).toBe('FORBIDDEN');
      expect((error as ForbiddenError).details).toEqual({ requiredRoles: ['Tenant Administrator'] });
    }
    expect.assertions(3);
  });
});
