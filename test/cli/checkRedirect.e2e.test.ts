import path from 'node:path';
import { type CliIo, runCli } from '../../src/cli';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

jest.setTimeout(60_000);

const cli = async (args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) => {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd };
  const code = await runCli(args, io);
  return { code, ...out };
};

const MATCH = `query($clientId: ID!, $url: String!) {
  matchRedirectUrl(clientId: $clientId, url: $url) { matched matchedUrl rule nearest { url differences details { kind message } } }
}`;

describe('cli check-redirect, beside a running server', () => {
  let test: TestApp;
  let env: NodeJS.ProcessEnv;
  let clientId: string;
  let tenantId: string;

  beforeAll(async () => {
    test = await startTestApp();
    env = { DATA_DIR: test.dataDir };
    clientId = (await addClient(test, { allowedRedirectUrls: ['https://a.example.com/cb', 'http://127.0.0.1/cb', 'HTTP://LOCALHOST:8888/cb'] })).id;
    tenantId = (await test.gql('{ me { tenantId } }')).data.me.tenantId;
  });
  afterAll(() => test.dispose());

  it('prints the match and its rule and exits 0', async () => {
    expect(await cli(['check-redirect', clientId, 'https://a.example.com/cb'], env)).toEqual({
      code: 0,
      stdout: 'matched https://a.example.com/cb (exactMatch)\n',
      stderr: '',
    });
    expect(await cli(['check-redirect', clientId, 'http://127.0.0.1:51004/cb', '--tenant', tenantId], env)).toMatchObject({
      code: 0,
      stdout: 'matched http://127.0.0.1/cb (loopbackAnyPort)\n',
    });
    // Registered in another form, stored (and matched) in normal form.
    expect(await cli(['check-redirect', clientId, 'http://localhost:8888/cb'], env)).toMatchObject({
      code: 0,
      stdout: 'matched http://localhost:8888/cb (exactMatch)\n',
    });
  });

  it('prints the nearest URL and one line per difference and exits 1', async () => {
    const result = await cli(['check-redirect', clientId, 'HTTPS://a.example.com/cb/'], env);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'no match; nearest https://a.example.com/cb:',
      expect.stringMatching(/^ {2}- scheme case: the presented URL writes its scheme 'HTTPS:', the registered one \(https:\/\/a\.example\.com\/cb\) writes 'https:'/),
      "  - trailing slash: the presented URL ends its path with '/', the registered one (https://a.example.com/cb) does not",
      '',
    ]);
    expect(result.stderr).toMatch(/does not match any allowed redirect URL/);
    const localhost = await cli(['check-redirect', clientId, 'http://localhost:9999/cb'], env);
    expect(localhost.code).toBe(1);
    expect(localhost.stdout).toContain('RFC 8252 §7.3');
  });

  it('prints the query’s answer with --json, the same as matchRedirectUrl', async () => {
    for (const url of ['https://a.example.com/cb', 'https://a.example.com/CB?x=1']) {
      const result = await cli(['check-redirect', clientId, url, '--json'], env);
      const query = await test.gql(MATCH, { clientId, url });
      expect(JSON.parse(result.stdout)).toEqual(query.data.matchRedirectUrl);
      expect(result.code).toBe(query.data.matchRedirectUrl.matched ? 0 : 1);
    }
  });

  it('reads the data directory named by --data-dir, relative to the working directory', async () => {
    const parent = path.dirname(test.dataDir);
    const result = await cli(['check-redirect', clientId, 'https://a.example.com/cb', '--data-dir', path.basename(test.dataDir)], {}, parent);
    expect(result).toMatchObject({ code: 0, stdout: 'matched https://a.example.com/cb (exactMatch)\n' });
  });

  it('exits 2 for a client not found (another tenant, or none), a missing read model, and bad usage', async () => {
    const otherTenant = await cli(['check-redirect', clientId, 'https://a.example.com/cb', '--tenant', 'tenant-other'], env);
    expect(otherTenant).toMatchObject({ code: 2, stdout: '' });
    expect(otherTenant.stderr).toMatch(/No authorization code client with id/);
    expect((await cli(['check-redirect', '0f000000-0000-4000-8000-00000000000f', 'https://a.example.com/cb'], env)).code).toBe(2);
    const noReadModel = await cli(['check-redirect', clientId, 'https://a.example.com/cb', '--data-dir', path.join(test.dataDir, 'nothing-here')], env);
    expect(noReadModel.code).toBe(2);
    expect(noReadModel.stderr).toMatch(/No read model at/);
    expect((await cli(['check-redirect', clientId], env)).code).toBe(2);
    expect((await cli(['check-redirect', clientId, `https://a.example.com/${'a'.repeat(2048)}`], env)).code).toBe(2);
  });
});
