import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { apiKeyPrefix, currentRequestContext, runInRequestContext } from '@dingrelay/domain';
import type { NextFunction, Request, Response } from 'express';

const HEADER = 'x-request-id';
const ACCEPTABLE = /^[A-Za-z0-9._-]{1,128}$/;
const REQUEST_ID = Symbol('requestId');
const BEARER = /^Bearer[ \t]+(\S+)/i;

type WithRequestId = Request & { [REQUEST_ID]?: string };

const accessLog = new Logger('Http');
const PROBES = /^\/(?:health\/(?:live|ready)|metrics)$/;

/**
 * Every request gets an id (the caller's `X-Request-Id` when it is sane), echoed back and quoted in errors, and the
 * rest of the request runs in a log context carrying it (and the key's non-secret prefix), so every line logged while
 * serving it says which request it belongs to. One access-log line per request when the response is done.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.header(HEADER);
  const id = offered && ACCEPTABLE.test(offered) ? offered : randomUUID();
  (req as WithRequestId)[REQUEST_ID] = id;
  res.setHeader(HEADER, id);
  const bearer = BEARER.exec(req.header('authorization') ?? '')?.[1];
  const keyPrefix = bearer ? apiKeyPrefix(bearer) : undefined;
  const started = process.hrtime.bigint();
  runInRequestContext({ requestId: id, ...(keyPrefix ? { keyPrefix } : {}) }, () => {
    // The context object itself: the auth guard adds the key's id to it later in the request.
    const context = currentRequestContext();
    res.once('finish', () => logAccess(req, res, started, context));
    next();
  });
}

export function requestIdOf(req: Request): string {
  return (req as WithRequestId)[REQUEST_ID] ?? 'unknown';
}

/**
 * The route's pattern (`/v1/sends/:id`) for log lines, never the raw URL: query strings can carry anything, and a
 * download link's path is its secret (`/v1/exports/downloads/:token`).
 */
export function routeOf(req: Request): string {
  return req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : '(no route)';
}

function logAccess(req: Request, res: Response, started: bigint, context: Readonly<Record<string, unknown>> | undefined): void {
  const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  const route = routeOf(req);
  const line = { message: `${req.method} ${route} ${res.statusCode} ${durationMs} ms`, method: req.method, route, status: res.statusCode, durationMs };
  // Probes and scrapes come every few seconds: at debug level unless they fail.
  const routine = PROBES.test(route) && res.statusCode < 400;
  runInRequestContext({ ...context }, () => (routine ? accessLog.debug(line) : accessLog.log(line)));
}
