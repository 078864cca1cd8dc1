import { Metadata, status } from '@grpc/grpc-js';

/** An RpcException: a gRPC status with optional trailers, as the server's RpcExceptions.cs builds them. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
    readonly metadata: Metadata = new Metadata(),
  ) {
    super(details);
  }
}

const withTrailers = (entries: Record<string, string>): Metadata => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
};

/** What Grpc.AspNetCore answers for any exception that is not an RpcException (detailed errors are off). */
export const handlerException = (): RpcError => new RpcError(status.UNKNOWN, 'Exception was thrown by handler.');

/** RpcExceptions.InvalidArgument: a oneof case the server does not know. */
export const invalidArgument = (argument: string, type: string): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, `'${argument}' is not a valid ${type}`);

/** RpcExceptions.RequiredArgument. */
export const requiredArgument = (name: string, type: string): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, ` \`${name}\` is a required argument of type ${type}`);

/** RpcExceptions.InvalidCombination: a Read request the server has no enumerator for. */
export const invalidCombination = (combination: string): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, `The combination of ${combination} is invalid.`);

/** RpcExceptions.InvalidPositionException: a subscription's catch-up read from inside a record. */
export const invalidPosition = (): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');

/** RpcExceptions.UnknownError(type, result): an enumerator's unexpected storage result. */
export const unknownResult = (resultType: string, result: string): RpcError =>
  new RpcError(status.UNKNOWN, `Unexpected ${resultType}: ${result}`);

/** RpcExceptions.RequiredMetadataPropertyMissing: a proposed message without `type` or `content-type`. */
export const requiredMetadataPropertyMissing = (property: string): RpcError =>
  new RpcError(
    status.INVALID_ARGUMENT,
    `Required Metadata Property '${property}' is missing`,
    withTrailers({ exception: 'missing-required-metadata-property', 'required-metadata-properties': 'type,content-type' }),
  );

/** RpcExceptions.MaxAppendSizeExceeded. */
export const maxAppendSizeExceeded = (maxAppendSize: number): RpcError =>
  new RpcError(
    status.INVALID_ARGUMENT,
    `Maximum Append Size of ${maxAppendSize} Exceeded.`,
    withTrailers({ exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(maxAppendSize) }),
  );
