import { type FormEvent, useRef, useState } from 'react';
import { type Api } from './api';
import { ConsoleMatchRedirectUrlDocument } from './generated/graphql';
import { type RedirectUrlMatch } from './queries';
import { TextField } from './TextField';
import { FieldProblems } from './violations';

/** The rules `matchRedirectUrl` names, in words; a rule the console does not know yet is shown by its name. */
const RULES: Record<string, string> = {
  exactMatch: 'exact match',
  loopbackAnyPort: 'any port is allowed on a loopback IP address (RFC 8252 §7.3)',
};

type Test = { state: 'idle' } | { state: 'testing' } | { state: 'done'; match: RedirectUrlMatch };

/** The API's answer in words: the URL it matched and why, or the nearest allowed URL and each difference. */
function MatchResult({ match }: { match: RedirectUrlMatch }) {
  if (match.matched) {
    return (
      <p className="match ok">
        <strong>Matches</strong> <code>{match.matchedUrl}</code>: {RULES[match.rule] ?? match.rule}.
      </p>
    );
  }
  const { nearest } = match;
  return (
    <>
      <p className="match bad">
        <strong>Does not match any allowed redirect URL.</strong>
      </p>
      {nearest && (
        <>
          <p>
            Nearest allowed URL: <code>{nearest.url}</code>
          </p>
          {nearest.details.length > 0 && (
            <ul className="differences" aria-label="How it differs">
              {nearest.details.map((difference, index) => (
                <li key={index}>{difference.message}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

/**
 * "Test a redirect URL": asks `matchRedirectUrl` whether the identity server would accept a URL as
 * this client's redirect_uri, and shows why (not). A query, so auditors may use it too; the console
 * decides nothing itself.
 */
export function RedirectTest({ api, clientId }: { api: Api; clientId: string }) {
  const [url, setUrl] = useState('');
  const [test, setTest] = useState<Test>({ state: 'idle' });
  const [problems, setProblems] = useState<FieldProblems>(FieldProblems.none);
  /** Counts tests, so the answer to an older one never replaces a newer one's. */
  const latest = useRef(0);

  const edit = (value: string) => {
    // The result is about the URL tested: once the field says something else, it goes.
    latest.current += 1;
    setUrl(value);
    setTest({ state: 'idle' });
    setProblems(FieldProblems.none);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (test.state === 'testing') return;
    const request = (latest.current += 1);
    setTest({ state: 'testing' });
    setProblems(FieldProblems.none);
    try {
      const { matchRedirectUrl } = await api.request(ConsoleMatchRedirectUrlDocument, { clientId, url });
      if (request === latest.current) setTest({ state: 'done', match: matchRedirectUrl });
    } catch (error) {
      if (request !== latest.current) return;
      setTest({ state: 'idle' });
      setProblems(FieldProblems.of(error, ['url']));
    }
  };

  const messages = [...problems.at('url'), ...(problems.general ? [problems.general] : [])];
  return (
    <section className="card redirect-test" aria-labelledby="redirect-test-title">
      <h2 id="redirect-test-title">Test a redirect URL</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Redirect URL to test"
          inputMode="url"
          placeholder="https://app.example.com/callback"
          value={url}
          onChange={edit}
          hint="Whether the identity server accepts it as this client’s redirect_uri at sign-in, as the app sends it."
          messages={messages}
          action={
            <button type="submit" aria-disabled={test.state === 'testing' || undefined}>
              Test
            </button>
          }
        />
      </form>
      <div className="redirect-result" role="status" aria-live="polite">
        {test.state === 'testing' && <p className="muted">Testing…</p>}
        {test.state === 'done' && <MatchResult match={test.match} />}
      </div>
    </section>
  );
}
