import { type IncomingMessage } from 'node:http';

/** How far past the limit a body is still read (and dropped) so the 413 reaches the client intact. */
const DRAIN_FACTOR = 16;

/**
 * Reads the body up to `limit` bytes; answers null when it is larger. A larger body is read to
 * its end and dropped first, so the client, still sending, is not cut off before it can read the
 * refusal; a body far larger than that is cut off.
 */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
      resolve(null);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * DRAIN_FACTOR) {
        resolve(null);
        req.destroy();
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
