import { ConfigError } from '../../src/auth';
import { consoleConfigOf } from '../../src/config';

describe('the admin console’s sign-in configuration', () => {
  it('asks for a pasted token when nothing is set', () => {
    expect(consoleConfigOf({})).toEqual({ tokenUrl: null, signInUrl: null });
  });

  it.each([
    ['https://id.example.com/session/token', 'https://id.example.com/sign-in'],
    ['http://localhost:8080/token', 'http://127.0.0.1:8080/sign-in'],
    ['http://[::1]:8080/token', null],
  ])('takes the token from the platform at %s', (tokenUrl, signInUrl) => {
    const env = { CONSOLE_TOKEN_URL: ` ${tokenUrl} `, ...(signInUrl ? { CONSOLE_SIGN_IN_URL: signInUrl } : {}) };
    expect(consoleConfigOf(env)).toEqual({ tokenUrl: new URL(tokenUrl).href, signInUrl: signInUrl && new URL(signInUrl).href });
  });

  it.each([
    [{ CONSOLE_TOKEN_URL: '/token' }, 'CONSOLE_TOKEN_URL must be an absolute URL'],
    [{ CONSOLE_TOKEN_URL: 'http://id.example.com/token' }, 'CONSOLE_TOKEN_URL must use https (http only on localhost, 127.0.0.1 or [::1])'],
    [{ CONSOLE_TOKEN_URL: 'javascript:alert(1)' }, 'CONSOLE_TOKEN_URL must use https'],
    [{ CONSOLE_TOKEN_URL: 'https://user:pw@id.example.com/token' }, 'CONSOLE_TOKEN_URL must not carry a user name or password'],
    [
      { CONSOLE_TOKEN_URL: 'https://id.example.com/token', CONSOLE_SIGN_IN_URL: 'http://id.example.com/in' },
      'CONSOLE_SIGN_IN_URL must use https',
    ],
    [{ CONSOLE_SIGN_IN_URL: 'https://id.example.com/in' }, 'CONSOLE_SIGN_IN_URL needs CONSOLE_TOKEN_URL'],
  ])('refuses %j, saying why', (env, message) => {
    expect(() => consoleConfigOf(env)).toThrow(ConfigError);
    expect(() => consoleConfigOf(env)).toThrow(message);
  });
});
