import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';

/** The server version the stand-in claims: the release whose source it follows. */
export const standinServerVersion = '24.10.4';

const method = (serviceName: string, methodName: string, features: string[] = []): SupportedMethod =>
  new SupportedMethod().setServiceName(serviceName).setMethodName(methodName).setFeaturesList(features);

/**
 * ServerFeatures.GetSupportedMethods: lower-case names with the features the server attaches (Read: position, events;
 * BatchAppend: deadline_duration), limited to the methods the stand-in implements.
 */
export const handleGetSupportedMethods = (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void => {
  const streams = 'event_store.client.streams.streams';
  callback(
    null,
    new SupportedMethods()
      .setEventStoreServerVersion(standinServerVersion)
      .setMethodsList([
        method(streams, 'read', ['position', 'events']),
        method(streams, 'append'),
        method(streams, 'batchappend', ['deadline_duration']),
        method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
      ]),
  );
};
