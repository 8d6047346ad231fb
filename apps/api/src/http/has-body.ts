import type { IncomingMessage } from 'node:http';

/** Whether the request carries a body (a non-zero length, or a chunked one), before anything has read it. */
export function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}
