import { type JsonObject, UUID_PATTERN, isJsonObject } from '../jsutils';
import { DuplicateEventIdError } from './errors';
import {
  type EventData,
  type ExpectedRevision,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from './eventStore';

/**
 * The checks every adapter makes on what callers pass to the port, before any I/O. A failure is a
 * programming error (TypeError or RangeError), never a user error: nothing is written.
 */

/** An event whose input was checked: its id is known and lower case. */
export interface CheckedEvent {
  id: string;
  /** The caller gave the id, so the event may be a retry of an earlier append. */
  supplied: boolean;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}


/** Checks a stream name. */
export const assertStreamId = (streamId: unknown): void => {
  if (typeof streamId !== 'string' || streamId === '') throw new TypeError('streamId must be a non-empty string');
};

/** Checks an expected revision: one of the three words or a revision of zero or more. */
export const assertExpectedRevision = (expected: unknown): void => {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'bigint') {
    throw new TypeError("expectedRevision must be 'any', 'no_stream', 'stream_exists' or a bigint");
  }
  if (expected < 0n) throw new RangeError('expectedRevision must not be negative');
};

/** Checks the events of one append and gives each an id; ids repeated within it are refused. */
export const checkEvents = (streamId: string, events: EventData[], newId: () => string): CheckedEvent[] => {
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  const ids = new Set<string>();
  return events.map((event, index) => {
    if (typeof event?.type !== 'string' || event.type === '') {
      throw new TypeError(`events[${index}].type must be a non-empty string`);
    }
    if (!isJsonObject(event.data)) throw new TypeError(`events[${index}].data must be a JSON object`);
    if (event.metadata !== undefined && !isJsonObject(event.metadata)) {
      throw new TypeError(`events[${index}].metadata must be a JSON object`);
    }
    if (event.id !== undefined && (typeof event.id !== 'string' || !UUID_PATTERN.test(event.id))) {
      throw new TypeError(`events[${index}].id must be a UUID`);
    }
    const id = (event.id ?? newId()).toLowerCase();
    if (ids.has(id)) throw new DuplicateEventIdError(streamId, id);
    ids.add(id);
    return { id, supplied: event.id !== undefined, type: event.type, data: event.data, metadata: event.metadata ?? {} };
  });
};

/** The checked options of `readStream`, with defaults filled in. */
export interface CheckedReadOptions {
  direction: 'forwards' | 'backwards';
  fromRevision: bigint | 'start' | 'end';
  maxCount: number | undefined;
}

/** Checks the options of `readStream`. */
export const checkReadOptions = (options: ReadStreamOptions): CheckedReadOptions => {
  const direction = options.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') {
    throw new TypeError("direction must be 'forwards' or 'backwards'");
  }
  const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
  if (from !== 'start' && from !== 'end') {
    if (typeof from !== 'bigint') throw new TypeError("fromRevision must be 'start', 'end' or a bigint");
    if (from < 0n) throw new RangeError('fromRevision must not be negative');
  }
  const { maxCount } = options;
  if (maxCount !== undefined && (!Number.isSafeInteger(maxCount) || maxCount < 0)) {
    throw new RangeError('maxCount must be a whole number of zero or more');
  }
  return { direction, fromRevision: from, maxCount };
};

/** Checks a subscription's starting point. */
export const checkFromPosition = (from: SubscribeToAllOptions['fromPosition']): void => {
  if (from === undefined || from === 'start' || from === 'end') return;
  if (typeof from?.commit !== 'bigint' || from.commit < 0n || typeof from.prepare !== 'bigint' || from.prepare < 0n) {
    throw new TypeError("fromPosition must be 'start', 'end' or a position of two non-negative bigints");
  }
};

/** Checks a subscription's filter and answers its prefixes, or `undefined` for no filter. */
export const checkFilterPrefixes = (filter: SubscribeToAllOptions['filter']): string[] | undefined => {
  if (filter === undefined) return undefined;
  const prefixes = filter.streamNamePrefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((p) => typeof p !== 'string' || p === '')) {
    throw new TypeError('filter.streamNamePrefixes must list at least one non-empty prefix');
  }
  return prefixes;
};

/** Whether `expected` holds for a stream whose last revision is `current` (undefined: no stream). */
export const expectationHolds = (expected: ExpectedRevision, current: bigint | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
};
