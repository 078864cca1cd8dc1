import { ConcurrencyError, type EventData, type EventStore, type Position, type RecordedEvent } from '../eventstore';

/** How a stream's recorded events are read and folded into the state a command is decided on. */
export interface StreamFold<State, Event> {
  initialState: State;
  evolve: (state: State, event: Event) => State;
  /** Reads a recorded event as one of the stream's events (the upcasting gate); throws when it cannot. */
  read: (recorded: RecordedEvent) => Event;
}

/** A stream as loaded: its events (oldest first), the state they fold to, its last revision (null: no stream) and that event's position. */
export interface LoadedStream<State, Event = unknown> {
  events: readonly Event[];
  state: State;
  revision: bigint | null;
  position: Position | null;
}

/** Options of {@link handleCommand}. */
export interface HandleCommandOptions<Event> {
  /** The events to append as the store takes them (ids, metadata); asked again on every attempt. */
  toEventData: (events: readonly Event[]) => EventData[];
  /** Attempts in all: while another writer lands first, the command is decided again on the new state. */
  maxAttempts: number;
  /** Waits before attempt `attempt + 1`. */
  backoff: (attempt: number) => Promise<void>;
}

/** What came of a command: the events appended (none when it changed nothing) and where the stream stands. */
export interface HandledCommand<Event> {
  events: readonly Event[];
  /** The stream's last revision afterwards; null when there is no stream. */
  revision: bigint | null;
  /** The position of the stream's last event afterwards; null when there is no stream. */
  position: Position | null;
}

/** Reads a stream and folds it. */
export const loadStream = async <State, Event>(
  store: EventStore,
  streamId: string,
  fold: StreamFold<State, Event>,
): Promise<LoadedStream<State, Event>> => {
  const { events: recorded } = await store.readStream(streamId);
  const events = recorded.map((event) => fold.read(event));
  const state = events.reduce((folded, event) => fold.evolve(folded, event), fold.initialState);
  const last = recorded.at(-1);
  return { events, state, revision: last?.revision ?? null, position: last?.position ?? null };
};

/**
 * Handles one command on one stream: load and fold it, decide, and append the events expecting
 * the stream exactly as it was read. When another writer lands first it decides again, up to
 * `maxAttempts` times, then lets the last `ConcurrencyError` through. Whatever `decide` throws
 * ends the command with nothing appended.
 */
export const handleCommand = async <State, Event>(
  store: EventStore,
  streamId: string,
  fold: StreamFold<State, Event>,
  decide: (loaded: LoadedStream<State, Event>) => readonly Event[],
  options: HandleCommandOptions<Event>,
): Promise<HandledCommand<Event>> => {
  for (let attempt = 1; ; attempt += 1) {
    const loaded = await loadStream(store, streamId, fold);
    const events = decide(loaded);
    if (events.length === 0) return { events, revision: loaded.revision, position: loaded.position };
    try {
      const appended = await store.appendToStream(streamId, options.toEventData(events), {
        expectedRevision: loaded.revision ?? 'no_stream',
      });
      return { events, revision: appended.nextExpectedRevision, position: appended.position };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= options.maxAttempts) throw error;
      await options.backoff(attempt);
    }
  }
};
