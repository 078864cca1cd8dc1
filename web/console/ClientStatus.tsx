import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog';
import { type Client } from './queries';
import { type FieldProblems } from './violations';

/** A change the status card runs: null when saved, else what went wrong. */
type Action = () => Promise<FieldProblems | null>;

/** A refused change's message for a dialog; null when it is done or when the page shows why (a conflict). */
const dialogMessage = (problems: FieldProblems | null): string | null =>
  problems === null || problems.general?.startsWith('Not saved') ? null : (problems.general ?? 'Not saved.');

/**
 * Status: enable at once; disable and delete each after a confirmation that opens on Cancel. When
 * a confirmation closes, focus goes back to the button that opened it.
 */
export function ClientStatus({
  client,
  enable,
  disable,
  remove,
}: {
  client: Client;
  enable: Action;
  disable: Action;
  /** Deletes the client; on success it leaves this page. */
  remove: Action;
}) {
  const [confirming, setConfirming] = useState<'disable' | 'delete' | null>(null);
  const close = () => setConfirming(null);
  const confirmed = (action: Action) => async () => {
    const message = dialogMessage(await action());
    if (message === null) close();
    return message;
  };
  const named = (
    <>
      <strong>{client.name}</strong> (<code>{client.id}</code>)
    </>
  );
  return (
    <div className="card status">
      <h2>Status</h2>
      <p>
        {client.enabled
          ? 'Enabled: the app can sign users in with this client.'
          : 'Disabled: the app cannot sign users in with this client until it is enabled again.'}
      </p>
      <div className="actions">
        <button type="button" onClick={() => (client.enabled ? setConfirming('disable') : void enable())}>
          {client.enabled ? 'Disable client' : 'Enable client'}
        </button>
        <button type="button" className="danger" onClick={() => setConfirming('delete')}>
          Delete client
        </button>
      </div>
      {confirming === 'disable' && (
        <ConfirmDialog title="Disable this client?" confirmLabel="Disable client" onConfirm={confirmed(disable)} onCancel={close}>
          <p>Disable {named}? Apps using this Client Id can no longer sign users in until it is enabled again.</p>
        </ConfirmDialog>
      )}
      {confirming === 'delete' && (
        <ConfirmDialog title="Delete this client?" confirmLabel="Delete client" onConfirm={confirmed(remove)} onCancel={close}>
          <p>
            Delete {named}? Apps using this Client Id can no longer sign users in. The Client Id is never used again; the
            client’s history stays in the audit trail.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
