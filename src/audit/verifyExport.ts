import { type JSONWebKeySet } from 'jose';
import { type ExportConsistency, type ExportEntry, type ExportHeader, isFiltered } from './exportFormat';
import { entryLeafHash, fromHex, toHex } from './logEntry';
import { MerkleFrontier, verifyConsistency, verifyInclusion } from './merkle';
import { type NumberedRecord, ExportFormatError, readExport } from './readExport';
import { type SignedTreeHead, treeHeadProblem } from './signedHead';

/** What `verify` checks an export against besides itself. */
export interface VerifyOptions {
  /** The audit key as a JWKS (`audit key`); without it the signature is not checked. */
  keys?: JSONWebKeySet | null;
  /** A head the reviewer kept earlier: the export's head must extend it. */
  kept?: SignedTreeHead | null;
}

/** The outcome: `problem` names the first thing that does not match; `notes` say what was checked. */
export interface VerifyReport {
  ok: boolean;
  problem: string | null;
  notes: string[];
}

class Mismatch extends Error {}
const fail = (message: string): never => {
  throw new Mismatch(message);
};

/** First pass: the header (first record), the consistency proof and the head (last record). */
const frame = async (file: string) => {
  let header: ExportHeader | null = null;
  let consistency: ExportConsistency | null = null;
  let last: NumberedRecord | null = null;
  for await (const numbered of readExport(file)) {
    if (!header && numbered.record.type !== 'export') fail(`line ${numbered.line}: an export starts with its header record`);
    if (numbered.record.type === 'export') header ??= numbered.record;
    if (numbered.record.type === 'consistency') consistency = numbered.record;
    if (last?.record.type === 'head') fail(`line ${numbered.line}: nothing may follow the signed head (line ${last.line})`);
    last = numbered;
  }
  if (!header) return fail('the file is empty: not an audit log export');
  if (last?.record.type !== 'head') return fail('the export has no signed head at its end: it was cut short');
  const { head } = last.record;
  if (head.tenantId !== header.tenantId || head.treeSize !== header.treeSize) {
    fail(`the head (tenant ${head.tenantId}, size ${head.treeSize}) is not the one the header announces (tenant ${header.tenantId}, size ${header.treeSize})`);
  }
  return { header, consistency, head };
};

const describe = (line: number, record: ExportEntry) => `line ${line}: the entry at leaf ${record.entry.leafIndex} (event ${record.entry.eventId})`;

/** Whether an entry is one the export's filter selects. */
const selected = ({ entry }: ExportEntry, { filter }: ExportHeader): boolean =>
  (filter.clientId === null || entry.clientId === filter.clientId) &&
  (filter.from === null || entry.occurredAt >= new Date(filter.from).toISOString()) &&
  (filter.to === null || entry.occurredAt < new Date(filter.to).toISOString());

/** Second pass: every entry against its leaf hash, its place, and the head's tree (or, given, the kept head's). */
const checkEntries = async (file: string, header: ExportHeader, head: SignedTreeHead, kept: SignedTreeHead | null): Promise<number> => {
  const filtered = isFiltered(header.filter);
  const root = fromHex(head.rootHash) ?? fail(`the head's rootHash is not 64 lowercase hex digits`);
  const frontier = new MerkleFrontier();
  let previous = -1;
  let count = 0;
  for await (const { line, record } of readExport(file)) {
    if (record.type !== 'entry') continue;
    const { entry } = record;
    const hash = entryLeafHash(entry);
    if (toHex(hash) !== record.leafHash) fail(`${describe(line, record)} does not match its leaf hash: the entry was changed`);
    if (entry.tenantId !== header.tenantId) fail(`${describe(line, record)} belongs to tenant ${entry.tenantId}, not ${header.tenantId}`);
    if (entry.leafIndex >= head.treeSize) fail(`${describe(line, record)} is beyond the head's ${head.treeSize} leaves`);
    if (filtered) {
      if (entry.leafIndex <= previous) fail(`${describe(line, record)} comes after leaf ${previous}: entries are out of order or repeated`);
      if (!selected(record, header)) fail(`${describe(line, record)} is not one the export's filter selects`);
      const path = (record.proof ?? []).map((step) => fromHex(step) ?? fail(`${describe(line, record)} has a malformed proof`));
      if (!verifyInclusion(entry.leafIndex, head.treeSize, hash, path, root)) {
        fail(`${describe(line, record)} is not in the head's tree: its audit path does not lead to the signed root`);
      }
    } else {
      if (entry.leafIndex !== frontier.size) {
        fail(`${describe(line, record)} is where leaf ${frontier.size} should be: an entry was removed, inserted or moved`);
      }
      frontier.append(hash);
      if (kept && frontier.size === kept.treeSize && toHex(frontier.root()) !== kept.rootHash) {
        fail(`the first ${kept.treeSize} entries (to line ${line}) do not give the kept head's root: one of them was changed, removed, inserted or moved`);
      }
    }
    previous = entry.leafIndex;
    count += 1;
  }
  if (!filtered && frontier.size !== head.treeSize) fail(`the export holds ${frontier.size} entries; its head says ${head.treeSize}`);
  if (!filtered && toHex(frontier.root()) !== head.rootHash) fail(`the entries give root ${toHex(frontier.root())}; the signed head says ${head.rootHash}`);
  return count;
};

/** The kept head against the export's head: same tenant, not larger, and extended (by the entries or the consistency proof). */
const checkKept = (header: ExportHeader, consistency: ExportConsistency | null, head: SignedTreeHead, kept: SignedTreeHead): string => {
  if (kept.tenantId !== head.tenantId) fail(`the kept head is of tenant ${kept.tenantId}; the export is of ${head.tenantId}`);
  if (kept.treeSize > head.treeSize) fail(`the kept head has ${kept.treeSize} entries, more than the export's head (${head.treeSize}): the log lost entries`);
  if (kept.treeSize === head.treeSize && kept.rootHash !== head.rootHash) fail(`the kept head and the export's head have the same size but different roots`);
  if (!isFiltered(header.filter)) return `extends the kept head of ${kept.treeSize} entries (its first ${kept.treeSize} entries give the kept root)`;
  if (consistency?.fromSize !== kept.treeSize) {
    return fail(`a filtered export shows it extends a kept head only with a consistency proof: export it with since=${kept.treeSize}`);
  }
  const proof = consistency.hashes.map((hash) => fromHex(hash) ?? fail('the consistency proof is malformed'));
  const [from, to] = [fromHex(kept.rootHash), fromHex(head.rootHash)];
  if (!from || !to || !verifyConsistency(kept.treeSize, head.treeSize, from, to, proof)) {
    fail(`the export's head does not extend the kept head of ${kept.treeSize} entries: its consistency proof fails`);
  }
  return `extends the kept head of ${kept.treeSize} entries (consistency proof checked)`;
};

/** Verifies an export file offline: every leaf, the root or each audit path, the signature, and a kept head. */
export const verifyExport = async (file: string, options: VerifyOptions = {}): Promise<VerifyReport> => {
  const notes: string[] = [];
  try {
    const { header, consistency, head } = await frame(file);
    const kept = options.kept ?? null;
    const count = await checkEntries(file, header, head, kept);
    notes.push(`${count} entries of tenant ${head.tenantId} checked against the head of ${head.treeSize} entries, root ${head.rootHash}`);
    if (options.keys) {
      for (const [name, signed] of [['the export', head], ...(kept ? [['the kept', kept] as const] : [])] as const) {
        const problem = await treeHeadProblem(signed, options.keys);
        if (problem) fail(`${name} head does not verify: ${problem}`);
      }
      notes.push(`signed by the audit key at ${head.timestamp}`);
    } else {
      notes.push('signature NOT checked: pass --key with the JWKS `audit key` prints');
    }
    if (kept) notes.push(checkKept(header, consistency, head, kept));
    return { ok: true, problem: null, notes };
  } catch (error) {
    if (error instanceof Mismatch || error instanceof ExportFormatError) return { ok: false, problem: error.message, notes };
    throw error;
  }
};
