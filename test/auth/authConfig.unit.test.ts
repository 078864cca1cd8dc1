import path from 'node:path';
import { ConfigError, DEV_AUDIENCE, DEV_ISSUER, describeAuthConfig, resolveAuthConfig } from '../../src/auth';

const dataDir = path.resolve('some-data');
const complete = { AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'clients-api' };

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    resolveAuthConfig(env, dataDir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveAuthConfig', () => {
  it('refuses production without a key source, saying why and what to set', () => {
    const { message, name } = configError({ NODE_ENV: 'production' });
    expect(name).toBe('ConfigError');
    expect(message).toMatch(/Refusing to start/);
    expect(message).toMatch(/NODE_ENV is production/);
    for (const variable of ['AUTH_JWKS_URL', 'AUTH_PUBLIC_KEY_FILE', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) {
      expect(message).toContain(variable);
    }
  });

  it('recognises production whatever the case or spacing of NODE_ENV', () => {
    expect(configError({ NODE_ENV: ' Production ' }).message).toMatch(/Refusing to start/);
  });

  it('refuses production with issuer and audience but no key source', () => {
    expect(configError({ NODE_ENV: 'production', ...complete }).message).toMatch(/AUTH_JWKS_URL/);
  });

  it.each([
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_AUDIENCE: 'a' }, 'AUTH_ISSUER is required when AUTH_JWKS_URL is set'],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i' }, 'AUTH_AUDIENCE is required when AUTH_JWKS_URL is set'],
    [{ AUTH_PUBLIC_KEY_FILE: 'key.pem' }, 'AUTH_ISSUER and AUTH_AUDIENCE are required when AUTH_PUBLIC_KEY_FILE is set'],
  ])('refuses half a configuration %j, in production and in development', (env, expected) => {
    expect(configError({ NODE_ENV: 'production', ...env }).message).toContain(expected);
    expect(configError({ NODE_ENV: 'development', ...env }).message).toContain(expected);
  });

  it('refuses both a JWKS URL and a key file', () => {
    const env = { ...complete, AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_PUBLIC_KEY_FILE: 'key.pem' };
    expect(configError(env).message).toMatch(/set only one of them/);
  });

  it('refuses issuer or audience without a key source outside production instead of silently using dev keys', () => {
    expect(configError({ AUTH_ISSUER: 'i' }).message).toMatch(/AUTH_ISSUER is set but neither AUTH_JWKS_URL nor AUTH_PUBLIC_KEY_FILE/);
  });

  it('refuses a JWKS URL that is not a URL, or plain http to a remote host in production', () => {
    expect(configError({ ...complete, AUTH_JWKS_URL: 'not a url' }).message).toMatch(/not a valid URL/);
    const env = { ...complete, NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.example/jwks' };
    expect(configError(env).message).toMatch(/must be an https URL/);
  });

  it('accepts a JWKS URL with issuer and audience (http only on loopback in production)', () => {
    expect(resolveAuthConfig({ NODE_ENV: 'production', ...complete, AUTH_JWKS_URL: 'https://idp.example/jwks' }, dataDir)).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://idp.example/jwks',
      issuer: 'https://idp.example/',
      audience: 'clients-api',
    });
    const loopback = { NODE_ENV: 'production', ...complete, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' };
    expect(resolveAuthConfig(loopback, dataDir)).toMatchObject({ mode: 'jwks' });
    const devHttp = { NODE_ENV: 'development', ...complete, AUTH_JWKS_URL: 'http://keycloak:8080/jwks' };
    expect(resolveAuthConfig(devHttp, dataDir)).toMatchObject({ mode: 'jwks' });
  });

  it('accepts a public key file, resolved against the working directory', () => {
    expect(resolveAuthConfig({ NODE_ENV: 'production', ...complete, AUTH_PUBLIC_KEY_FILE: 'keys/idp.pem' }, dataDir)).toEqual({
      mode: 'publicKeyFile',
      publicKeyFile: path.resolve('keys/idp.pem'),
      issuer: 'https://idp.example/',
      audience: 'clients-api',
    });
  });

  it('uses configured keys in development too: dev mode is only the fallback', () => {
    const env = { NODE_ENV: 'development', ...complete, AUTH_JWKS_URL: 'https://idp.example/jwks' };
    expect(resolveAuthConfig(env, dataDir).mode).toBe('jwks');
  });

  it.each([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { NODE_ENV: 'development', AUTH_ISSUER: '  ', AUTH_JWKS_URL: '' }])(
    'falls back to the dev key outside production when nothing is configured: %j',
    (env) => {
      const config = resolveAuthConfig(env, 'some-data');
      expect(config).toEqual({ mode: 'dev', dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
      expect(describeAuthConfig(config)).toContain('npm run token');
    },
  );
});
