import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `work` as the request with this operation id: every error shaped for the wire while it
 * runs (by us or by Apollo, before or during execution) carries the id, set here once.
 */
export const withOperationId = <T>(operationId: string, work: () => T): T => scope.run(operationId, work);

/** The operation id of the request being handled, if any. */
export const currentOperationId = (): string | undefined => scope.getStore();
