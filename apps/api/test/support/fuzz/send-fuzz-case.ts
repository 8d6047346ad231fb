import type { INestApplication } from '@nestjs/common';
import request, { type Response } from 'supertest';
import type { Caller, FuzzCase } from './fuzz-case.arbitraries.js';
import { urlPartText } from './bad-values.arbitraries.js';
import type { Operation } from './openapi-operations.js';

/** The case's URL: path parameters and query as they go on the wire (malformed escapes included). */
export function urlOf(operation: Operation, c: FuzzCase): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const part = c.path[name];
    return part ? urlPartText(part) : '';
  });
  // A raw value's key goes raw too (the raw-key mutations: `__proto__[x]`, `%zz`); other keys are encoded.
  const query = c.query.map(([name, value]) => `${'raw' in value ? name : urlPartText({ text: name })}=${urlPartText(value)}`).join('&');
  return query ? `${path}?${query}` : path;
}

/** Sends the case in-process, with the caller's key and our own X-Request-Id. */
export async function sendFuzzCase(
  app: INestApplication,
  operation: Operation,
  c: FuzzCase,
  keys: Record<Exclude<Caller, 'none'>, string>,
  requestId: string,
): Promise<Response> {
  const agent = request(app.getHttpServer());
  let req = agent[operation.method](urlOf(operation, c)).set('X-Request-Id', requestId);
  if (c.caller !== 'none') req = req.set('Authorization', `Bearer ${keys[c.caller]}`);
  for (const [name, value] of Object.entries(c.headers)) req = req.set(name, value);
  if (c.body) {
    if (c.body.contentType !== undefined) req = req.set('Content-Type', c.body.contentType);
    req = req.send(c.body.text);
  }
  return req.timeout(20_000).ok(() => true);
}
