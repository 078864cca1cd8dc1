export { type CommittedEvent, type LiveFeed, createLiveFeed } from './liveFeed';
export { DEFAULT_MAX_BUFFERED, type Topic, createTopic } from './topic';
