import type { IncomingMessage } from 'node:http';

/** A body a route reads itself (bodyMiddleware's raw paths), whole, refusing one larger than `max` bytes with `tooLarge()`. */
export async function readRawBody(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume(); // drain the rest so the answer reaches the caller
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
