import { useEffect, useRef } from 'react';
import { AddClient } from './AddClient';
import { ClientDetails } from './ClientDetails';
import { ClientList } from './ClientList';
import { ClientVersion } from './ClientVersion';
import { type ConsoleConfig } from './config';
import { TenantHistory } from './History';
import { type Route, hrefOf, useRoute } from './route';
import { useSession } from './session';
import { SignIn } from './SignIn';

const TITLE = 'Authorization code clients';

function currentPage(route: Route): string {
  switch (route.page) {
    case 'clients':
    case 'addClient':
    case 'client':
    case 'clientVersion':
      return 'clients';
    case 'history':
      return 'history';
  }
}

/** The admin console: sign-in, then the client screens, all through the public GraphQL API. */
export function App({ config }: { config: ConsoleConfig }) {
  const session = useSession(config);
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const { state, start } = session;

  useEffect(() => {
    if (state.status === 'starting') void start();
  }, [state.status, start]);

  // A new screen: move focus to its main region so keyboard and screen reader users start there.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [route]);

  if (state.status !== 'signedIn') {
    return (
      <div className="app">
        <header className="top">
          <span className="brand">{TITLE}</span>
        </header>
        <main id="main" className="content narrow" tabIndex={-1} ref={main}>
          {state.status === 'starting' ? (
            <p role="status">Signing in…</p>
          ) : (
            <SignIn config={config} message={state.message} onSignIn={session.signInWithToken} onRetry={start} />
          )}
        </main>
      </div>
    );
  }

  const { me } = state;
  const page = currentPage(route);
  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(event) => { event.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">{TITLE}</span>
        <nav aria-label="Sections">
          <a href={hrefOf({ page: 'clients' })} aria-current={page === 'clients' ? 'page' : undefined}>
            Clients
          </a>
          <a href={hrefOf({ page: 'history' })} aria-current={page === 'history' ? 'page' : undefined}>
            History
          </a>
        </nav>
        <div className="who">
          <span title={`Tenant ${me.tenantId} · ${me.roles.join(', ') || 'no role'}`}>
            {me.name ?? me.id} <span className="muted">({me.tenantId})</span>
          </span>
          {config.signIn === 'token' && (
            <button type="button" className="link" onClick={session.signOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        {!me.canManageClients && (
          <p className="notice" role="note">
            You can look but not change: managing clients needs the Tenant Administrator role.
          </p>
        )}
        {route.page === 'clients' && <ClientList api={session.api} me={me} />}
        {route.page === 'addClient' && <AddClient api={session.api} me={me} />}
        {route.page === 'client' && <ClientDetails key={route.id} api={session.api} me={me} id={route.id} />}
        {route.page === 'clientVersion' && (
          <ClientVersion key={`${route.id}/${route.version}`} api={session.api} me={me} id={route.id} version={route.version} />
        )}
        {route.page === 'history' && <TenantHistory api={session.api} />}
      </main>
    </div>
  );
}
