import { ApiErrorCode } from '@dingrelay/contracts';
import type { NextFunction, Request, Response } from 'express';
import { ApiException } from './api.exception.js';
import { hasBody } from './has-body.js';

/**
 * A body in any other format would reach validation as an empty object and come back as a list of missing fields;
 * saying "send JSON" is the useful answer.
 */
export function jsonOnlyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is('application/json')) {
    next(new ApiException(415, ApiErrorCode.UnsupportedMediaType, 'Send the request body as application/json'));
    return;
  }
  next();
}
