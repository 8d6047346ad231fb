import type { NextFunction, Request, Response } from 'express';
import { bearerKeyOf, missingKey } from './api-key.guard.js';
import { hasBody } from '../http/has-body.js';

/** The API's routes (the queue dashboard, which also takes Basic auth, checks its key itself before reading). */
const API_PATHS = /^\/v1\//;
/** API routes whose bodies arrive without a dingrelay key: DingTalk's callbacks, signed by DingTalk instead. */
const KEYLESS_BODY_PATHS = /^\/v1\/callbacks\//;

/**
 * Runs before the body parsers: a request with a body but no API key at all is answered 401 at once, so nobody
 * without a key can make the API read and parse up to API_BODY_LIMIT. (Whether the key is valid is still the
 * guard's decision, after parsing.) The connection is closed rather than drained.
 */
export function keylessBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req) || !API_PATHS.test(req.path) || KEYLESS_BODY_PATHS.test(req.path) || bearerKeyOf(req) !== undefined) {
    next();
    return;
  }
  res.setHeader('Connection', 'close');
  next(missingKey(res));
}
