/*
 * EventStoreDB protocol stand-in: a TEST DOUBLE speaking EventStoreDB's gRPC protocol over 127.0.0.1, built on the
 * service definitions shipped with @eventstore/db-client. It keeps its log in memory; everything is lost when it stops
 * for good. It is never a store.
 *
 * Modelled, each after the EventStoreDB v24.10.4 source file named (src/EventStore.Core/...):
 * - Log positions: byte offsets of prepare records in the transaction file, growing by PrepareLogRecord.SizeOnDisk
 *   (TransactionLog/LogRecords/PrepareLogRecord.cs); each event of a write is its own self-committing prepare
 *   (Services/Storage/StorageWriterService.cs), so its $all position is (p, p), p = the record's start
 *   (Services/Storage/ReaderIndex/AllReader.cs, Data/ResolvedEvent.cs). An append answers commit = prepare = the start
 *   of its LAST event's record (Services/Storage/StorageChaser.cs CommitAck, Services/RequestManager/Managers/WriteEvents.cs).
 *   An empty append writes one record without an event and answers its position.
 * - Expected version and idempotency (Services/Storage/ReaderIndex/IndexWriter.cs CheckCommit): any/stream_exists retry
 *   with the same ids succeeds with the original last revision and position; no_stream/exact retries compare the ids at
 *   the revisions after the expected one; a partial match is WrongExpectedVersion.
 * - Append (Services/Transport/Grpc/Streams.Append.cs): options first; RequiredMetadataPropertyMissing; the 1 MiB
 *   MaxAppendSize; WrongExpectedVersion as a response message with the fields filled per expected case; a bad UUID, an
 *   empty id or type, an empty or "$$" stream name answer UNKNOWN "Exception was thrown by handler." as Grpc.AspNetCore does.
 * - BatchAppend (Streams.BatchAppend.cs, BatchAppendResp.cs, Status.cs, WrongExpectedVersion.cs): correlation ids,
 *   options in the first request, is_final, the 2 s write timeout and the request deadline, errors as google.rpc.Status
 *   with packed details (WrongExpectedVersion, Timeout, BadRequest, MaximumAppendSizeExceeded).
 * - Read (Streams.Read.cs, ReadReq.cs, Transport/Enumerators/Enumerator.ReadStream*.cs, Enumerator.ReadAll*.cs):
 *   streams forwards/backwards with StreamNotFound; a forwards read from END fails with UNKNOWN "Unexpected
 *   ReadStreamResult: Error" (IndexReader.ReadStreamEventsForwardInternal refuses -1); $all forwards (from a position
 *   inclusive) and backwards (exclusive), through EventFilter.DefaultAllFilter (Services/Storage/ReaderIndex/EventFilter.cs).
 * - Subscriptions (Enumerator.AllSubscription.cs, Enumerator.AllSubscriptionFiltered.cs, Enumerator.StreamSubscription.cs,
 *   Services/SubscriptionsService.cs): confirmation first; catch-up from an exclusive start; filters on stream name or
 *   event type by prefix or regex; checkpoints every maxSearchWindow * multiplier considered events during catch-up,
 *   one when catch-up ends, and live every that many committed events; an empty caught_up when going live; live events.
 *   By default the 24.x going-live checkpoint of (2^64-1, 2^64-1) when nothing was sent yet is kept (KurrentDB 25.0,
 *   KDB-710, fixed it: option kdb710Fixed).
 * - ServerFeatures (Services/Transport/Grpc/ServerFeatures.cs): lower-case names and features as the server gives
 *   them, but only for the methods implemented here (the server lists every client service); with serverFeatures: false
 *   the service is absent, so the client gets UNIMPLEMENTED as from a server older than 21.10 and uses Append.
 * - Going away: the gRPC server listens on an internal loopback port behind a TCP relay on the public port. stop()
 *   closes the public port and drops every connection at the TCP level (no GOAWAY, no RST_STREAM), as a crashed server
 *   or a failed network does: the client's open calls end with UNAVAILABLE "Connection dropped", new calls with
 *   UNAVAILABLE "connect ECONNREFUSED", and the server side sees its calls cancelled. restart() listens again.
 *
 * Not modelled: TLS, authentication and ACLs; clustering, gossip, leader election, requires-leader and NotLeader;
 * persistent subscriptions, projections and the system events a real database writes ($settings, $users, epochs);
 * stream metadata ($$stream, max-age, max-count, truncate-before); deletes and tombstones (Delete and Tombstone answer
 * UNIMPLEMENTED); scavenging; link events and resolveLinkTos; filtered $all reads (UNIMPLEMENTED); chunk boundaries;
 * the bounded committed-event-id cache (ids are remembered for ever here); the bounded live channel, so a subscription
 * never falls behind (fell_behind is not sent to clients by any version anyway); ReadReq control options
 * (first/last stream position); a read with count 0; the server's maximum event size; timeouts of the storage layer.
 * Approximated: a position inside a record makes a subscription's catch-up fail with INVALID_ARGUMENT and a forwards
 * $all read with UNKNOWN (the real reader may also read garbage there); a batch request that fails to parse drops its
 * pending write (the server keeps it and answers a late Timeout for it too); WrongExpectedVersion for no_stream leaves
 * out the deprecated 20.6.0 field (2^64-1, which the client's generated code cannot encode).
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { handleAppend } from './append';
import { handleBatchAppend } from './batchAppend';
import { handleRead } from './read';
import { handleGetSupportedMethods } from './serverFeatures';
import { createTcpRelay } from './tcpRelay';
import { createTransactionLog } from './transactionLog';

/** A running stand-in. */
export interface EventStoreStandin {
  connectionString: string;
  port: number;
  /** Simulates the server going away: every open call ends with UNAVAILABLE, connections drop, it stops listening. The log is kept. */
  stop(): Promise<void>;
  /** Listens again on the same port with the same log (a server restart). */
  restart(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}

/** Where and how the stand-in listens, and how its log starts. */
export interface EventStoreStandinOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Log position of the first record, default 0; beyond 2^53 to prove positions keep every bit. */
  firstLogPosition?: bigint;
  /** Default true: advertise the supported methods (so the client uses BatchAppend); false: UNIMPLEMENTED (plain Append). */
  serverFeatures?: boolean;
  /** Default false (24.x behaviour); true models KurrentDB 25.0's fix of the going-live checkpoint. */
  kdb710Fixed?: boolean;
}

/** EffectiveMaxLogRecordSize, the Streams service's MaxReceiveMessageSize (about 16 MiB). */
const maxReceiveMessageLength = 16 * 1024 * 1024;

/** Starts the stand-in and resolves once it listens. */
export const startEventStoreStandin = async (options: EventStoreStandinOptions = {}): Promise<EventStoreStandin> => {
  const host = options.host ?? '127.0.0.1';
  const log = createTransactionLog(options.firstLogPosition ?? 0n);
  const kdb710Fixed = options.kdb710Fixed ?? false;
  const server = new Server({ 'grpc.max_receive_message_length': maxReceiveMessageLength });
  server.addService(StreamsService, {
    read: handleRead(log, kdb710Fixed),
    append: handleAppend(log),
    batchAppend: handleBatchAppend(log),
  });
  if (options.serverFeatures !== false) server.addService(ServerFeaturesService, { getSupportedMethods: handleGetSupportedMethods });
  const internalPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
  const relay = createTcpRelay(host, options.port ?? 0, { address: '127.0.0.1', family: 'IPv4', port: internalPort });
  const port = await relay.listen().catch((error: unknown) => {
    server.forceShutdown();
    throw error;
  });
  let closed = false;

  return {
    connectionString: `esdb://${host}:${port}?tls=false`,
    port,
    stop: () => relay.drop(),
    restart: async () => {
      if (closed) throw new Error('The EventStoreDB stand-in was closed for good.');
      await relay.listen();
    },
    close: async () => {
      closed = true;
      await relay.drop();
      server.forceShutdown();
    },
  };
};
