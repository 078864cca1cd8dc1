type WorkerLabel = keyof typeof GRAPHIQL_WORKER_FILES;

function fileFor(label: string): string {
  const known: readonly WorkerLabel[] = ['json', 'graphql'];
  const key = known.find((candidate) => candidate === label) ?? 'editor';
  return GRAPHIQL_WORKER_FILES[key];
}

/**
 * Tells Monaco where its web workers are: built files next to this bundle, loaded from our own
 * origin (never a CDN and never a blob: URL, so the page's CSP can keep `worker-src 'self'`).
 */
export function installMonacoWorkers(): void {
  const environment = {
    getWorker(_workerId: string, label: string): Worker {
      return new Worker(new URL(`./${fileFor(label)}`, import.meta.url), { name: label });
    },
  };
  Object.assign(globalThis, { MonacoEnvironment: environment });
}
