import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Command } from 'commander';
import { type JSONWebKeySet } from 'jose';
import { auditKeySet, auditKeyConfigOf, loadAuditKey } from './audit/auditKey';
import { createAuditLog } from './audit/auditLog';
import { type ExportAsked, exportChoiceOf } from './audit/exportRequest';
import { type SignedTreeHead } from './audit/signedHead';
import { verifyExport } from './audit/verifyExport';
import { dataFiles } from './app';
import { ConfigError, isProduction } from './auth';
import { type CliCommand, type CliIo, CliError, dataDirFrom } from './cliCore';
import { readEnvironment } from './environment';
import { ValidationError } from './errors';
import { openReadModelDatabase, openSignedHeadStore } from './readmodel';

/** The audit key as configured for the server on this DATA_DIR (AUDIT_SIGNING_KEY_FILE, or the development key). */
const auditKeyOf = async (io: CliIo) => {
  try {
    return await loadAuditKey(auditKeyConfigOf(readEnvironment(io.env, 'AUDIT_SIGNING_KEY_FILE'), dataDirFrom(io), isProduction(io.env)));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
};

/** Writes the chunks to --output or stdout, waiting on the stream so memory stays constant. */
const writeOut = async (io: CliIo, chunks: Iterable<string>, output: string | undefined) => {
  if (output) return pipeline(Readable.from(chunks), createWriteStream(output));
  if (io.stdoutStream) return pipeline(Readable.from(chunks), io.stdoutStream, { end: false });
  for (const chunk of chunks) io.stdout(chunk);
};

/** `audit export`: the tenant's entries (or a filtered part, with proofs) and the signed head they were cut at. */
const exportAction = (io: CliIo) => async (options: ExportAsked & { tenant: string; output?: string }) => {
  let choice;
  try {
    choice = exportChoiceOf(options);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.violations.map((violation) => violation.message).join('; '), 2);
    throw error;
  }
  const files = dataFiles(dataDirFrom(io));
  if (!existsSync(files.readModel)) throw new CliError(`No read model at ${files.readModel}: start the server once (or run rebuild) first.`);
  const key = await auditKeyOf(io);
  const db = openReadModelDatabase(files.readModel);
  const heads = openSignedHeadStore(files.signedHeads);
  try {
    const built = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log_nodes'").get();
    if (!built) throw new CliError(`The read model at ${files.readModel} has no audit log yet: start the server (it builds it) first.`);
    const { head, chunks } = await createAuditLog({ db, heads, key, now: () => new Date() }).exportLog(options.tenant, choice);
    await writeOut(io, chunks, options.output);
    io.stderr(`Exported the audit log of tenant "${head.tenantId}" at ${head.treeSize} entries, root ${head.rootHash}${options.output ? ` to ${options.output}` : ''}\n`);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message, 2);
    throw error;
  } finally {
    heads.close();
    db.close();
  }
};

/** Reads a JSON file named by an option, with a message naming the option when it is not JSON. */
const jsonFile = (flag: string, file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${flag} ${file} is not a readable JSON file (${(error as Error).message})`, 2);
  }
};

/** A kept head: the auditLogHead object, the GraphQL answer (or its `data`) holding it, or an export's head record. */
const keptHeadOf = (file: string): SignedTreeHead => {
  const value = jsonFile('--head', file) as { data?: { auditLogHead?: unknown }; auditLogHead?: unknown; head?: unknown } | null;
  const head = (value?.data?.auditLogHead ?? value?.auditLogHead ?? value?.head ?? value) as SignedTreeHead | null;
  if (typeof head?.signature !== 'string' || !Number.isSafeInteger(head.treeSize) || typeof head.rootHash !== 'string') {
    throw new CliError(`--head ${file} is not a signed tree head (tenantId, treeSize, rootHash, timestamp, signature)`, 2);
  }
  return { ...head, timestamp: new Date(head.timestamp).toISOString() };
};

/** A key file: the JWKS `audit key` prints, or one JWK. */
const keySetOf = (file: string): JSONWebKeySet => {
  const value = jsonFile('--key', file) as Record<string, unknown>;
  if (Array.isArray(value?.keys)) return value as unknown as JSONWebKeySet;
  if (typeof value?.kty === 'string') return { keys: [value] };
  throw new CliError(`--key ${file} is not a JWKS ({"keys": [...]}) as \`audit key\` prints it`, 2);
};

/** `audit`: export, verify and key. */
export const auditCommand: CliCommand = (program: Command, io: CliIo) => {
  const audit = program.command('audit').description("The verifiable audit log: export it, verify an export offline, print the key that signs its heads.");
  audit
    .command('export')
    .description('Write a tenant\'s audit log, ending with the signed head it was cut at (works while the server runs on the same DATA_DIR).')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--client <id>', 'only this client\'s entries (each then carries its inclusion proof)')
    .option('--from <time>', 'only entries at or after this ISO 8601 time')
    .option('--to <time>', 'only entries before this ISO 8601 time')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--since <size>', 'the size of a head you kept: the export then carries the consistency proof from it')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(exportAction(io));
  audit
    .command('verify <file>')
    .description('Verify an export offline: every leaf, the root or each inclusion proof, the signature, and an older kept head. Exits 1 naming the first mismatch.')
    .option('--head <file>', 'a head you kept earlier (auditLogHead as JSON): the export must extend it')
    .option('--key <file>', 'the audit key as a JWKS file, as `audit key` prints it')
    .action(async (file: string, options: { head?: string; key?: string }) => {
      if (!existsSync(file)) throw new CliError(`No export file ${file}`, 2);
      const report = await verifyExport(file, { kept: options.head ? keptHeadOf(options.head) : null, keys: options.key ? keySetOf(options.key) : null });
      for (const note of report.notes) io.stdout(`${note}\n`);
      if (!report.ok) throw new CliError(`verification FAILED: ${report.problem}`);
      io.stdout('verified\n');
    });
  audit
    .command('key')
    .description('Print the public key that signs the audit log\'s heads, as a JWKS (the server also serves it at /.well-known/audit-log-jwks.json).')
    .action(async () => {
      io.stdout(`${JSON.stringify(auditKeySet(await auditKeyOf(io)), null, 2)}\n`);
    });
};
