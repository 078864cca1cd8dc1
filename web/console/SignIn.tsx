import { type FormEvent, useId, useState } from 'react';
import { type ConsoleConfig } from './config';

const DEV_COMMAND = 'npm run token -- --tenant demo --role "Tenant Administrator"';

/** The sign-in screen: a pasted access token, or the platform's sign-in. */
export function SignIn({
  config,
  message,
  onSignIn,
  onRetry,
}: {
  config: ConsoleConfig;
  message: string | null;
  onSignIn: (token: string) => Promise<string | null>;
  onRetry: () => Promise<void>;
}) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const hintId = useId();

  if (config.signIn === 'platform') {
    return (
      <section className="card signin" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
        {message && <p className="error" role="alert">{message}</p>}
        <p>This console uses your sign-in to the platform.</p>
        <div className="actions">
          {config.signInUrl && (
            <a className="button primary" href={config.signInUrl}>
              Sign in to the platform
            </a>
          )}
          <button type="button" onClick={() => void onRetry()}>
            Try again
          </button>
        </div>
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const refused = await onSignIn(token);
    setBusy(false);
    setProblem(refused);
    if (refused === null) setToken('');
  };

  const shown = problem ?? message;
  return (
    <form className="card signin" aria-labelledby="signin-title" onSubmit={(event) => void submit(event)} noValidate>
      <h1 id="signin-title">Sign in</h1>
      <div className="field">
        <label htmlFor="access-token">Access token</label>
        <textarea
          id="access-token"
          name="access-token"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-invalid={shown ? true : undefined}
          aria-describedby={`${hintId}${shown ? ` ${errorId}` : ''}`}
        />
        {shown && (
          <p id={errorId} className="error" role="alert">
            {shown}
          </p>
        )}
        <p id={hintId} className="hint">
          {config.development ? (
            <>
              Development: in the project folder run <code>{DEV_COMMAND}</code> and paste what it prints.
            </>
          ) : (
            <>Paste an access token the platform issued to you (a Tenant Administrator or Tenant Auditor).</>
          )}{' '}
          The token stays in this tab only.
        </p>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </div>
    </form>
  );
}
