import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { invalidArgument } from './rpcExceptions';
import type { StoredEvent } from './transactionLog';

/** Decides whether a subscription or read delivers an event (IEventFilter.IsEventAllowed). */
export type EventFilter = (event: StoredEvent) => boolean;

/** EventFilter.DefaultAllFilter: everything on $all but epoch information and $all persistent-subscription streams. */
export const defaultAllFilter: EventFilter = ({ streamId }) =>
  !streamId.startsWith('$') ||
  !(
    streamId === '$epoch-information' ||
    (streamId.startsWith('$persistentsubscription-$all::') && (streamId.endsWith('-checkpoint') || streamId.endsWith('-parked')))
  );

/** Streams.ConvertToEventFilter for $all: a regex when one is given, else the prefixes; always within the default filter. */
export const toEventFilter = (options: ReadReq.Options.FilterOptions): EventFilter => {
  const onStream = options.hasStreamIdentifier();
  if (!onStream && !options.hasEventType()) throw invalidArgument(String(options.getFilterCase()), 'FilterOptions');
  const expression = onStream ? options.getStreamIdentifier()! : options.getEventType()!;
  const field = (event: StoredEvent): string => (onStream ? event.streamId : event.eventType);
  const regex = expression.getRegex();
  if (regex !== '') {
    const pattern = new RegExp(regex);
    return (event) => defaultAllFilter(event) && pattern.test(field(event));
  }
  const prefixes = expression.getPrefixList();
  return (event) => defaultAllFilter(event) && prefixes.some((prefix) => field(event).startsWith(prefix));
};
