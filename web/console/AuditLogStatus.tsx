import { useCallback, useEffect, useState } from 'react';
import { type Api } from './api';
import { CopyButton } from './CopyButton';
import { formatDateTime } from './format';
import { type ConsoleAuditLogIntegrityQuery, ConsoleAuditLogHeadDocument, ConsoleAuditLogIntegrityDocument } from './generated/graphql';
import { type AuditLogHead } from './queries';

/**
 * The integrity check replays every event of the tenant, so the History page runs it by itself
 * only for a log of up to this many entries; a larger one is checked when the reviewer asks.
 */
export const CHECK_ON_OPEN_UP_TO = 5_000;

type Integrity = ConsoleAuditLogIntegrityQuery['auditLogIntegrity'];

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'done'; integrity: Integrity } | { state: 'failed'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the last integrity check found, as a badge and a sentence, read out when it changes. */
function IntegrityBadge({ check, treeSize }: { check: Check; treeSize: number }) {
  switch (check.state) {
    case 'idle':
      return (
        <p>
          <span className="badge off">Integrity not checked</span> The check replays all {treeSize} entries’ events: run it when you need it.
        </p>
      );
    case 'checking':
      return (
        <p>
          <span className="badge off">Checking integrity…</span>
        </p>
      );
    case 'failed':
      return (
        <p className="error">
          <span className="badge bad">Integrity not checked</span> The check failed: {check.message}
        </p>
      );
    case 'done': {
      const { integrity } = check;
      const checkedAt = <time dateTime={integrity.checkedAt}>{formatDateTime(integrity.checkedAt)}</time>;
      return integrity.ok ? (
        <p>
          <span className="badge on">Integrity verified</span> The {integrity.eventsTreeSize} entries recomputed from the events match the
          read model{integrity.headTreeSize === null ? '' : ` and extend the last signed head (${integrity.headTreeSize} entries)`}; checked{' '}
          {checkedAt}.
        </p>
      ) : (
        <div className="error">
          <p>
            <span className="badge bad">Integrity problem</span> The log does not match its events (checked {checkedAt}):
          </p>
          <ul>
            {integrity.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      );
    }
  }
}

/**
 * The tenant's verifiable audit log on the History page: its signed head (to copy and keep, for
 * `audit verify --head`), the key that signs it, and the integrity check's badge.
 */
export function AuditLogStatus({ api }: { api: Api }) {
  const [head, setHead] = useState<AuditLogHead | null>(null);
  const [headError, setHeadError] = useState<string | null>(null);
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  const runCheck = useCallback(async () => {
    setCheck({ state: 'checking' });
    try {
      setCheck({ state: 'done', integrity: (await api.request(ConsoleAuditLogIntegrityDocument, {})).auditLogIntegrity });
    } catch (error) {
      setCheck({ state: 'failed', message: messageOf(error) });
    }
  }, [api]);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const { auditLogHead } = await api.request(ConsoleAuditLogHeadDocument, {});
        if (!current) return;
        setHead(auditLogHead);
        setHeadError(null);
        if (auditLogHead.treeSize <= CHECK_ON_OPEN_UP_TO) void runCheck();
      } catch (error) {
        if (current) setHeadError(messageOf(error));
      }
    })();
    return () => {
      current = false;
    };
  }, [api, runCheck]);

  return (
    <section className="card audit-log" aria-labelledby="audit-log-title">
      <h2 id="audit-log-title">Audit log</h2>
      {headError && (
        <p className="error" role="alert">
          The signed head could not be read: {headError}
        </p>
      )}
      {head && (
        <>
          <div role="status" aria-live="polite">
            <IntegrityBadge check={check} treeSize={head.treeSize} />
          </div>
          <dl className="facts">
            <dt>Entries</dt>
            <dd>{head.treeSize}</dd>
            <dt>Root hash</dt>
            <dd>
              <code className="hash">{head.rootHash}</code>
            </dd>
            <dt>Signed</dt>
            <dd>
              <time dateTime={head.timestamp}>{formatDateTime(head.timestamp)}</time>
            </dd>
          </dl>
          <p className="muted">
            Keep this signed head: any later export must extend it (<code>npm run cli -- audit verify export.ndjson --head head.json</code>).
            It is signed by the key at <a href="/.well-known/audit-log-jwks.json">/.well-known/audit-log-jwks.json</a>.
          </p>
          <div className="actions">
            <CopyButton text={JSON.stringify(head, null, 2)} label="Copy signed head" caption="Copy signed head" />
            <button type="button" onClick={() => check.state !== 'checking' && void runCheck()} aria-disabled={check.state === 'checking' || undefined}>
              {check.state === 'done' || check.state === 'failed' ? 'Check integrity again' : 'Check integrity'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
