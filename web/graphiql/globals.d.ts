/** File names of the Monaco web workers, defined at build time by scripts/build-web.mjs. */
declare const GRAPHIQL_WORKER_FILES: Readonly<Record<'editor' | 'json' | 'graphql', string>>;
