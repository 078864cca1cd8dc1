import { ConfigError } from '../../src/auth';
import { openRegistrationTenantsOf } from '../../src/config';

describe('OPEN_REGISTRATION_TENANTS', () => {
  it('is off unless set, and lists the tenants given, trimmed', () => {
    expect(openRegistrationTenantsOf({})).toEqual([]);
    expect(openRegistrationTenantsOf({ OPEN_REGISTRATION_TENANTS: 'acme, Beta' })).toEqual(['acme', 'Beta']);
  });

  it('refuses an entry that is no tenant id, saying which', () => {
    expect(() => openRegistrationTenantsOf({ OPEN_REGISTRATION_TENANTS: 'acme,,beta' })).toThrow(ConfigError);
    expect(() => openRegistrationTenantsOf({ OPEN_REGISTRATION_TENANTS: 'acme,a\u200bb' })).toThrow(/invisible/);
  });
});
