import { type EventStore, type Position, comparePositions, positionFromToken, positionToToken } from '../src/eventstore';
import { type ProjectionStatus } from './processor';

/** Most head positions remembered while the projections are behind; the earliest ones are the ones kept. */
const MAX_REMEMBERED_HEADS = 1000;

/**
 * The store's head as this process knows it, and when each head was first seen: from its own
 * appends and from probing the store. Lag in seconds is how long ago the store first held an
 * event the projection has not applied.
 */
export interface HeadTracker {
  /** The store held `position` at `at` (default now). */
  saw(position: Position, at?: number): void;
  /** The highest position seen, or null before any. */
  head(): Position | null;
  /** Seconds since the store first held an event after `position`; 0 when there is none. */
  secondsBehind(position: Position | null, now?: number): number;
  /** Forgets the heads up to `position` (every projection applied them), the latest one apart. */
  forgetUpTo(position: Position): void;
}

/** A head tracker with nothing seen yet. */
export const createHeadTracker = (): HeadTracker => {
  let heads: { position: Position; at: number }[] = [];
  const latest = () => heads[heads.length - 1]?.position ?? null;
  return {
    saw(position, at = Date.now()) {
      const last = latest();
      if (last !== null && comparePositions(position, last) <= 0) return;
      if (heads.length >= MAX_REMEMBERED_HEADS) heads[heads.length - 1] = { position, at: heads[heads.length - 1].at };
      else heads.push({ position, at });
    },
    head: latest,
    secondsBehind(position, now = Date.now()) {
      const first = heads.find((seen) => position === null || comparePositions(seen.position, position) > 0);
      return first === undefined ? 0 : Math.max(0, (now - first.at) / 1000);
    },
    forgetUpTo(position) {
      const last = heads[heads.length - 1];
      heads = heads.filter((seen) => seen === last || comparePositions(seen.position, position) > 0);
    },
  };
};

/**
 * The store's head right now, when the store can tell (the embedded store: a subscription from
 * the end is caught up at the head at once); null when it cannot or takes longer than `timeoutMs`.
 */
export const probeHead = async (store: EventStore, timeoutMs = 1000): Promise<Position | null> => {
  let subscription;
  try {
    subscription = store.subscribeToAll({ fromPosition: 'end' });
  } catch {
    return null;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const first = await Promise.race([
      subscription[Symbol.asyncIterator]().next(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]);
    return first !== null && !first.done && first.value.type === 'caughtUp' ? first.value.position : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await subscription.unsubscribe().catch(() => undefined);
  }
};

/** Where one projection stands against the store's head: what `projections status` and the metrics show. */
export interface ProjectionLag {
  name: string;
  state: ProjectionStatus['state'];
  /** The projection's checkpoint (opaque position token), null before its first event. */
  checkpoint: string | null;
  /** The store's head as known (opaque position token), null when unknown. */
  head: string | null;
  /** Positions between the checkpoint and the head: events on the embedded store. */
  lagEvents: number;
  /** Seconds since the store first held an event the projection has not applied. */
  lagSeconds: number;
}

/** Each projection's checkpoint, the head, and the lag between them; probes the store for its head first. */
export const projectionLags = async (statuses: readonly ProjectionStatus[], store: EventStore, tracker: HeadTracker): Promise<ProjectionLag[]> => {
  const probed = await probeHead(store);
  if (probed !== null) tracker.saw(probed);
  const head = tracker.head();
  const lags = statuses.map((status) => {
    const checkpoint = status.position === null ? null : positionFromToken(status.position);
    const behind = head === null ? 0n : head.commit - (checkpoint?.commit ?? 0n);
    return {
      name: status.name,
      state: status.state,
      checkpoint: status.position,
      head: head === null ? null : positionToToken(head),
      lagEvents: behind > 0n ? Number(behind) : 0,
      lagSeconds: behind > 0n ? tracker.secondsBehind(checkpoint) : 0,
    };
  });
  let lowest: Position | null = null;
  for (const status of statuses) {
    const checkpoint = status.position === null ? null : positionFromToken(status.position);
    if (checkpoint === null) return lags;
    if (lowest === null || comparePositions(checkpoint, lowest) < 0) lowest = checkpoint;
  }
  if (lowest !== null) tracker.forgetUpTo(lowest);
  return lags;
};
