import { useRef } from 'react';
import { CopyButton } from './CopyButton';
import { Dialog } from './Dialog';
import { setFlash } from './flash';
import { navigate } from './route';

/**
 * "Client Successfully Created": the new Client Id with its Copy button. Focus starts on Close; on
 * closing (Close or Escape) the list says the client was created and puts focus on its row.
 */
export function CreatedDialog({ client }: { client: { id: string; name: string } }) {
  const close = useRef<HTMLButtonElement>(null);
  const done = () => {
    setFlash({ message: `Client “${client.name}” was created. Its Client Id is ${client.id}.`, clientId: client.id });
    navigate({ page: 'clients' });
  };
  return (
    <Dialog title="Client Successfully Created" initialFocus={close} onClose={done}>
      <p>Give this Client Id to the application’s developers: their app sends it when it signs users in.</p>
      <dl className="facts">
        <dt>Client Id</dt>
        <dd className="id-row">
          <code>{client.id}</code>
          <CopyButton text={client.id} label="Copy Client Id" />
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" ref={close} onClick={done}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
