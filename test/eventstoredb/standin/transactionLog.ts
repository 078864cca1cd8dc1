/** ExpectedVersion constants of EventStore.Core/Data/ExpectedVersion.cs; an exact revision is >= 0. */
export const ExpectedVersion = { any: -2n, noStream: -1n, streamExists: -4n } as const;

/** An event as the writer receives it. */
export interface ProposedEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** An event as it is stored: `created` in .NET ticks (100 ns) since the Unix epoch. */
export interface StoredEvent extends ProposedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly created: bigint;
}

/** One prepare record: its log position, the position after it, and its event (null for an empty write). */
export interface LogRecord {
  readonly logPosition: bigint;
  readonly postPosition: bigint;
  readonly event: StoredEvent | null;
}

/** What WriteEventsCompleted carries back to the gRPC layer. */
export type WriteResult =
  | { readonly kind: 'success'; readonly lastEventNumber: bigint; readonly position: bigint }
  | { readonly kind: 'wrongExpectedVersion'; readonly currentVersion: bigint };

/** The in-memory transaction file with its stream index and the committed-event-id cache. */
export interface TransactionLog {
  readonly records: readonly LogRecord[];
  /** Writer checkpoint: where the next record starts. */
  writerPosition(): bigint;
  /** Log position of the last indexed record, -1 when the log is empty (ReadIndex.LastIndexedPosition). */
  lastIndexedPosition(): bigint;
  streamEvents(streamId: string): readonly LogRecord[];
  lastEventNumber(streamId: string): bigint;
  /** Index of the record starting at `position`, 0 before the first record, -1 if no record starts there. */
  recordIndexAt(position: bigint): number;
  write(streamId: string, expectedVersion: bigint, events: readonly ProposedEvent[]): WriteResult;
  /** Calls `listener` for each committed event (StorageMessage.EventCommitted); returns the unsubscribe function. */
  onEventCommitted(listener: (record: LogRecord) => void): () => void;
}

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A string written by .NET's BinaryWriter: a 7-bit encoded length, then the UTF-8 bytes. */
const stringSize = (byteLength: number): number => {
  let prefix = 1;
  for (let rest = byteLength >>> 7; rest > 0; rest >>>= 7) prefix += 1;
  return prefix + byteLength;
};

/** PrepareLogRecord.SizeOnDisk (LogRecordV1): 88 fixed bytes, the two strings, data and metadata. */
const prepareRecordSize = (streamId: string, eventType: string, dataLength: number, metadataLength: number): bigint =>
  BigInt(88 + stringSize(utf8Length(streamId)) + stringSize(utf8Length(eventType)) + dataLength + metadataLength);

const nowInTicks = (): bigint => BigInt(Date.now()) * 10_000n;

type CommitCheck =
  | { readonly decision: 'ok'; readonly currentVersion: bigint }
  | { readonly decision: 'wrongExpectedVersion'; readonly currentVersion: bigint }
  | { readonly decision: 'idempotent'; readonly endEventNumber: bigint };

/** Creates an empty log whose first record will start at `firstLogPosition`. */
export const createTransactionLog = (firstLogPosition: bigint): TransactionLog => {
  const records: LogRecord[] = [];
  const streams = new Map<string, LogRecord[]>();
  const committedEvents = new Map<string, { streamId: string; revision: bigint }>();
  const listeners = new Set<(record: LogRecord) => void>();
  let writer = firstLogPosition;

  const lastEventNumber = (streamId: string): bigint => BigInt(streams.get(streamId)?.length ?? 0) - 1n;
  const eventAt = (streamId: string, revision: bigint): StoredEvent | null =>
    revision >= 0n ? (streams.get(streamId)?.[Number(revision)]?.event ?? null) : null;

  // IndexWriter.CheckCommit: expected version, then idempotency by event id.
  const checkCommit = (streamId: string, expected: bigint, eventIds: readonly string[]): CommitCheck => {
    const current = lastEventNumber(streamId);
    if (!streams.has(streamId)) {
      const ok = expected === ExpectedVersion.any || expected === ExpectedVersion.noStream;
      return { decision: ok ? 'ok' : 'wrongExpectedVersion', currentVersion: current };
    }
    if (expected === ExpectedVersion.any || expected === ExpectedVersion.streamExists) {
      let end: bigint | null = null;
      for (const [index, eventId] of eventIds.entries()) {
        const known = committedEvents.get(eventId);
        if (!known || known.streamId !== streamId) {
          return { decision: index === 0 ? 'ok' : 'wrongExpectedVersion', currentVersion: current };
        }
        end = known.revision;
      }
      return end === null ? { decision: 'ok', currentVersion: current } : { decision: 'idempotent', endEventNumber: end };
    }
    if (expected < current) {
      let eventNumber = expected;
      for (const eventId of eventIds) {
        eventNumber += 1n;
        if (eventAt(streamId, eventNumber)?.eventId !== eventId) {
          return { decision: 'wrongExpectedVersion', currentVersion: current };
        }
      }
      return eventNumber === expected
        ? { decision: 'wrongExpectedVersion', currentVersion: current }
        : { decision: 'idempotent', endEventNumber: eventNumber };
    }
    return { decision: expected > current ? 'wrongExpectedVersion' : 'ok', currentVersion: current };
  };

  const appendRecord = (record: LogRecord): void => {
    records.push(record);
    writer = record.postPosition;
  };

  // StorageWriterService.Handle(WritePrepares): one self-committing prepare per event, or one empty prepare.
  const write = (streamId: string, expected: bigint, events: readonly ProposedEvent[]): WriteResult => {
    const check = checkCommit(streamId, expected, events.map((event) => event.eventId));
    if (check.decision === 'wrongExpectedVersion') return { kind: 'wrongExpectedVersion', currentVersion: check.currentVersion };
    if (check.decision === 'idempotent') {
      const original = streams.get(streamId)![Number(check.endEventNumber)];
      return { kind: 'success', lastEventNumber: check.endEventNumber, position: original.logPosition };
    }
    if (events.length === 0) {
      const logPosition = writer;
      appendRecord({ logPosition, postPosition: logPosition + prepareRecordSize(streamId, '', 0, 0), event: null });
      return { kind: 'success', lastEventNumber: check.currentVersion, position: logPosition };
    }
    const created = nowInTicks();
    const stream = streams.get(streamId) ?? [];
    streams.set(streamId, stream);
    const written: LogRecord[] = [];
    for (const [offset, proposed] of events.entries()) {
      const revision = check.currentVersion + 1n + BigInt(offset);
      const size = prepareRecordSize(streamId, proposed.eventType, proposed.data.length, proposed.metadata.length);
      const record: LogRecord = { logPosition: writer, postPosition: writer + size, event: { ...proposed, streamId, revision, created } };
      appendRecord(record);
      stream.push(record);
      committedEvents.set(proposed.eventId, { streamId, revision });
      written.push(record);
    }
    for (const record of written) for (const listener of [...listeners]) listener(record);
    const last = written[written.length - 1];
    return { kind: 'success', lastEventNumber: last.event!.revision, position: last.logPosition };
  };

  const recordIndexAt = (position: bigint): number => {
    if (records.length === 0 || position <= records[0].logPosition) return 0;
    let low = 0;
    let high = records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (records[middle].logPosition < position) low = middle + 1;
      else high = middle;
    }
    return records[low]?.logPosition === position ? low : -1;
  };

  return {
    records,
    writerPosition: () => writer,
    lastIndexedPosition: () => records[records.length - 1]?.logPosition ?? -1n,
    streamEvents: (streamId) => streams.get(streamId) ?? [],
    lastEventNumber,
    recordIndexAt,
    write,
    onEventCommitted: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
