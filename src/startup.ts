import { ENVIRONMENT_DEFAULTS } from './environment';

/** What `node dist/src/main.js --help` prints: the server takes no arguments, only environment variables. */
export const serverUsage = (): string =>
  [
    'Usage: node dist/src/main.js (or npm start)',
    '',
    'Serves the authorization code client service: GraphQL at /graphql, the admin console at /, GraphiQL at /graphiql.',
    'It takes no arguments; it is configured by environment variables (the README lists what each means):',
    '',
    ...Object.entries(ENVIRONMENT_DEFAULTS).map(([name, value]) => `  ${name.padEnd(30)}${value === '' ? '(unset)' : `default ${value}`}`),
    '',
    'The command line tools (token, backup, restore, rebuild, audit, ...): node dist/src/cli.js --help',
    '',
  ].join('\n');

/** Arguments the server does not take: null when there are none, else what to say (help, or a refusal). */
export const serverArguments = (argv: readonly string[]): { exitCode: number; text: string } | null => {
  if (argv.length === 0) return null;
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { exitCode: 0, text: serverUsage() };
  return { exitCode: 2, text: `The server takes no arguments (it got ${argv.map((arg) => JSON.stringify(arg)).join(' ')}).\n\n${serverUsage()}` };
};

const NODE_ENVS = ['production', 'development', 'test'];

/** A warning when NODE_ENV is set to something other than production, development or test (a typo runs as development). */
export const nodeEnvWarning = (env: NodeJS.ProcessEnv): string | null => {
  const value = env.NODE_ENV?.trim() ?? '';
  if (value === '' || NODE_ENVS.includes(value.toLowerCase())) return null;
  return (
    `Warning: NODE_ENV is "${value}", neither production nor development or test: the server runs as in development ` +
    '(development tokens accepted, internal error messages shown); set NODE_ENV=production for a deployment.'
  );
};

/** A value as one shell word. */
const shellWord = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** The command that prints a development token for this server: its own DATA_DIR, so the key is its. */
export const tokenCommandFor = (dataDir: string): string =>
  `DATA_DIR=${shellWord(dataDir)} npm run token -- --tenant demo --role "Tenant Administrator"`;

const HOST_ERRORS: Record<string, string> = {
  ENOTFOUND: 'is not an address or a name this machine resolves',
  EAI_AGAIN: 'could not be resolved (name lookup failed)',
  EADDRNOTAVAIL: 'is not an address of this machine',
  EAFNOSUPPORT: 'is of an address family this machine does not support',
  EINVAL: 'is not a valid address to listen on',
};

/** One line for a failure to listen on HOST:PORT that the operator can fix, or null for others. */
export const listenFailure = (error: unknown, host: string, port: number): string | null => {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  if (code === 'EADDRINUSE') return `${host}:${port} is already in use; set PORT (or HOST) to another.`;
  if (code === 'EACCES') return `${host}:${port} needs privileges this process does not have; set PORT above 1023.`;
  const why = HOST_ERRORS[code];
  return why === undefined ? null : `HOST "${host}" ${why} (${code}); set HOST to an address of this machine, such as 127.0.0.1 or 0.0.0.0.`;
};
