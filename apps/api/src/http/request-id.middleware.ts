import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const HEADER = 'x-request-id';
const ACCEPTABLE = /^[A-Za-z0-9._-]{1,128}$/;
const REQUEST_ID = Symbol('requestId');

type WithRequestId = Request & { [REQUEST_ID]?: string };

/** Every request gets an id (the caller's `X-Request-Id` when it is sane), echoed back and quoted in errors. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.header(HEADER);
  const id = offered && ACCEPTABLE.test(offered) ? offered : randomUUID();
  (req as WithRequestId)[REQUEST_ID] = id;
  res.setHeader(HEADER, id);
  next();
}

export function requestIdOf(req: Request): string {
  return (req as WithRequestId)[REQUEST_ID] ?? 'unknown';
}
