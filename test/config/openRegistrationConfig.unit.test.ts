import { ConfigError } from '../../src/auth';
import { loadConfig, openRegistrationTenantsOf } from '../../src/config';

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

describe('OPEN_REGISTRATION_QUOTA', () => {
  it('defaults to 100 live anonymous clients per tenant and takes a whole number from 1', () => {
    expect(loadConfig({}).openRegistrationQuota).toBe(100);
    expect(loadConfig({ OPEN_REGISTRATION_QUOTA: '1' }).openRegistrationQuota).toBe(1);
  });

  it.each(['0', '-3', '2.5', 'lots', '1000001'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ OPEN_REGISTRATION_QUOTA: value })).toThrow(/OPEN_REGISTRATION_QUOTA/);
  });
});
