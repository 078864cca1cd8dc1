import { existsSync } from 'node:fs';
import path from 'node:path';
import { dataFiles } from './app';
import { type CliCommand, type CliIo, CliError, EXIT_USAGE, dataDirFrom } from './cliCore';
import { NotFoundError, ValidationError } from './errors';
import { redirectUrlMatchOf } from './graphql/resolvers/redirectMatch';
import { type RedirectUrlMatch } from './graphql/types/redirectMatch';
import { type ClientView, findClientInAnyTenant, getClient, openReadModelDatabase } from './readmodel';

interface CheckOptions {
  tenant?: string;
  dataDir?: string;
  json?: boolean;
}

/** The client as the read model beside the server holds it: in `tenant`, or in whichever tenant has it. */
const clientOf = (io: CliIo, clientId: string, options: CheckOptions): ClientView | null => {
  const dataDir = options.dataDir === undefined ? dataDirFrom(io) : path.resolve(io.cwd, options.dataDir);
  const { readModel } = dataFiles(dataDir);
  if (!existsSync(readModel)) throw new CliError(`No read model at ${readModel}: start the server once (or run rebuild) first.`, EXIT_USAGE);
  const db = openReadModelDatabase(readModel);
  try {
    const built = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'clients'").get();
    if (!built) throw new CliError(`The read model at ${readModel} has no clients yet: start the server (it builds it) first.`, EXIT_USAGE);
    return options.tenant === undefined ? findClientInAnyTenant(db, clientId) : getClient(db, options.tenant.trim(), clientId);
  } finally {
    db.close();
  }
};

/** The answer in words: the match and its rule, or the nearest registered URL and one line per difference. */
const report = (match: RedirectUrlMatch): string => {
  if (match.matched) return `matched ${match.matchedUrl} (${match.rule})\n`;
  if (match.nearest === null) return 'no match; the client has no redirect URL\n';
  return [`no match; nearest ${match.nearest.url}:`, ...match.nearest.differences.map((difference) => `  - ${difference}`)].join('\n') + '\n';
};

/** The same answer as the query `matchRedirectUrl`, for the client as the read model holds it; exit 2 for a client not found or a bad URL. */
const matchOf = (io: CliIo, clientId: string, url: string, options: CheckOptions): RedirectUrlMatch => {
  try {
    return redirectUrlMatchOf(clientOf(io, clientId, options), clientId, url);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ValidationError) throw new CliError(error.message, EXIT_USAGE);
    throw error;
  }
};

/** `check-redirect <clientId> <url>`: whether the identity server would accept `url` as the client's redirect_uri, and why not. */
export const checkRedirectCommand: CliCommand = (program, io) => {
  program
    .command('check-redirect <clientId> <url>')
    .description(
      "Whether <url>, sent as redirect_uri at sign-in, matches the client's allowed redirect URLs (exact; any port for 127.0.0.1 and [::1] over http), " +
        'and when not, the nearest one with each difference. Reads the read model, also while the server runs. Exits 0 when it matches, 1 when not, 2 for a client not found.',
    )
    .option('--tenant <id>', "the client's tenant (without it, whichever tenant has the client: client ids are unique)")
    .option('--data-dir <dir>', 'the data directory (default DATA_DIR, else ./data)')
    .option('--json', 'print the answer of the matchRedirectUrl query as JSON')
    .action((clientId: string, url: string, options: CheckOptions) => {
      const match = matchOf(io, clientId, url, options);
      io.stdout(options.json ? `${JSON.stringify(match, null, 2)}\n` : report(match));
      if (!match.matched) throw new CliError(`${url} does not match any allowed redirect URL of client ${clientId}`, 1);
    });
};
