import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

/** A request as the handlers see it: routing already done, body fully read. */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a handler answers: a JSON body with a status, or nothing at all (a hang fault). */
export type SimResult = { status: number; body: unknown } | { hang: true };

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

/** Ids for one response. DingTalk's request ids are upper-case UUIDs; trace ids are 32 hex chars. */
export interface ResponseIds {
  requestId: string;
  traceId: string;
}

export function newResponseIds(): ResponseIds {
  const uuid = randomUUID();
  return { requestId: uuid.toUpperCase(), traceId: uuid.replaceAll('-', '') };
}

/** Writes a JSON response with the headers real DingTalk sends on every answer (spec §1). */
export function writeJson(res: ServerResponse, status: number, body: unknown, ids: ResponseIds): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': payload.length,
    'x-acs-request-id': ids.requestId,
    'x-acs-trace-id': ids.traceId,
    Server: 'DingTalk/1.0.0',
  });
  res.end(payload);
}

export class BodyTooLargeError extends Error {}

/** Reads the whole body, refusing more than `maxBytes` so a runaway client can't exhaust memory. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError()) : resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Parses a JSON body; undefined when it is empty or not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
