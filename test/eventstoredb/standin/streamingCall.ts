import type { ServerDuplexStream, ServerWritableStream } from '@grpc/grpc-js';
import { handlerException, RpcError } from './rpcExceptions';

type WritableCall<Res> = ServerWritableStream<unknown, Res> | ServerDuplexStream<unknown, Res>;

/** A server-streaming or bidi call: writes with back-pressure, ends with OK or a status, and knows when it is over. */
export interface StreamingCall<Res> {
  /** Aborted when the call is over: answered, cancelled by the client, past its deadline or its connection dropped. */
  readonly signal: AbortSignal;
  /** Writes one message, waiting for the client to read when its buffer is full; throws once the call is over. */
  send(message: Res): Promise<void>;
  /** Ends the call with OK. */
  complete(): void;
  /** Ends the call with the error's status (an exception that is not an RpcError answers as the server does). */
  fail(error: unknown): void;
}

/** Wraps `call`; grpc-js reports a cancelled call (client, deadline or dropped connection) with 'cancelled'. */
export const trackStreamingCall = <Res>(call: WritableCall<Res>): StreamingCall<Res> => {
  const controller = new AbortController();
  let over = false;
  const finish = (end: () => void): void => {
    if (over) return;
    over = true;
    controller.abort(new Error('call is over'));
    end();
  };
  call.on('cancelled', () => finish(() => undefined));

  return {
    signal: controller.signal,
    send: async (message) => {
      controller.signal.throwIfAborted();
      if (call.write(message)) return;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          call.off('drain', onDrain);
          reject(controller.signal.reason as Error);
        };
        const onDrain = (): void => {
          controller.signal.removeEventListener('abort', onAbort);
          resolve();
        };
        call.once('drain', onDrain);
        controller.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    complete: () => finish(() => call.end()),
    fail: (error) => finish(() => call.emit('error', error instanceof RpcError ? error : handlerException())),
  };
};
