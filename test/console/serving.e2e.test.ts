import { buildWebAssets } from '../testing/webAssets';
import { type TestApp, startTestApp } from '../testing/testApp';

describe('the service serves the admin console', () => {
  let test: TestApp;
  beforeAll(async () => {
    await buildWebAssets();
    test = await startTestApp({ eventStore: 'sqlite' });
  }, 300_000);
  afterAll(() => test.dispose());

  it('at /, saying in the page that development sign-in takes a pasted token', async () => {
    const response = await fetch(`${test.url}/`, { redirect: 'manual' });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<title>Authorization code clients — Admin console</title>');
    expect(html).toContain('<meta name="console-config" content="{&quot;signIn&quot;:&quot;token&quot;,&quot;development&quot;:true}">');
    const script = /src="(\/console\/console-\w{8}\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${test.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // Read to the end: a body left unread holds its connection open, and the server's stop waits for it.
    await asset.arrayBuffer();
  });

  it('next to GraphiQL, and names both where nothing is found', async () => {
    expect((await fetch(`${test.url}/graphiql`)).status).toBe(200);
    const missing = await fetch(`${test.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'Not found',
      paths: ['/', '/graphql', '/graphiql', '/health', '/ready', '/.well-known/audit-log-jwks.json', '/audit/export'],
    });
  });
});
