import { type EventStore } from '../../src/eventstore';

/** A store that lets a rival append land between a handler's read and its append, `times` times. */
export const withRival = (store: EventStore, rival: () => Promise<unknown>, times: number): EventStore => {
  let left = times;
  return {
    ...store,
    async appendToStream(streamId, events, options) {
      if (left > 0) {
        left -= 1;
        await rival();
      }
      return store.appendToStream(streamId, events, options);
    },
  };
};
