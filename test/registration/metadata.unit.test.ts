import { readRequestedMetadata } from '../../src/registration/metadata';
import { RegistrationError, fromViolations } from '../../src/registration/registrationError';

const refusal = (body: unknown): RegistrationError => {
  try {
    readRequestedMetadata(body);
  } catch (error) {
    if (error instanceof RegistrationError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('registration metadata', () => {
  it('maps RFC 7591 metadata to client settings, names a nameless client after its first redirect URI, and lists unknown fields', () => {
    expect(readRequestedMetadata({ redirect_uris: ['com.example.app:/cb'], allowed_cors_origins: ['https://a.example.com'], foo: 1, scope: 'x' })).toEqual({
      settings: {
        name: 'com.example.app',
        allowedRedirectUrls: ['com.example.app:/cb'],
        allowedLogoutRedirectUrls: [],
        allowedCorsOrigins: ['https://a.example.com'],
        tokenLifetime: 3600,
        clientUri: null,
        logoUri: null,
      },
      applicationType: null,
      ignored: ['foo', 'scope'],
    });
    expect(readRequestedMetadata({ redirect_uris: ['https://app.example.com/cb'] }).settings.name).toBe('app.example.com');
  });

  it.each([
    [[], /JSON object/],
    [{ redirect_uris: [1] }, /redirect_uris must be an array of strings/],
    [{ redirect_uris: ['https://a.example.com/cb'], client_name: 7 }, /client_name must be a string/],
    [{ redirect_uris: ['https://a.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt' }, /only "none"/],
    [{ redirect_uris: ['https://a.example.com/cb'], grant_types: ['implicit'] }, /must include "authorization_code"/],
    [{ redirect_uris: ['https://a.example.com/cb'], application_type: 'desktop' }, /"web" or "native"/],
  ])('refuses %j as invalid_client_metadata', (body, description) => {
    const error = refusal(body);
    expect([error.status, error.error]).toEqual([400, 'invalid_client_metadata']);
    expect(error.description).toMatch(description);
  });

  it('translates domain violations to RFC names, with the offending value and the rule', () => {
    const given = { redirect_uris: ['https://ok.example.com', 'http://app.example.com/cb'] };
    const error = fromViolations([{ field: 'allowedRedirectUrls', index: 1, rule: 'redirectUrl', message: 'Redirect URL must use https' }], given);
    expect(error.error).toBe('invalid_redirect_uri');
    expect(error.description).toBe('redirect_uris[1] "http://app.example.com/cb": Redirect URL must use https (rule redirectUrl)');
    expect(fromViolations([{ field: 'name', rule: 'name', message: 'Too long' }], { client_name: 'x' }).error).toBe('invalid_client_metadata');
  });
});
