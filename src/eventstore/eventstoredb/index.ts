export { getEventStoreDBEventStore, type EventStoreDBEventStoreOptions } from './eventStoreDBEventStore';
