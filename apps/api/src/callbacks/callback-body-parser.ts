import type { RequestHandler } from 'express';
import { json } from 'express';

/** The routes DingTalk pushes to (CallbacksController). */
export const CALLBACK_PATH_PREFIX = '/v1/callbacks';

/**
 * The JSON parser of DingTalk's pushes, with a limit of their own (CALLBACK_MAX_BODY_BYTES) far below API_BODY_LIMIT:
 * these routes take no API key, so anyone can post to them, and a robot message is a few kB. Mounted before the API's
 * parser, which then finds the body read. Over the limit it is the parser's `entity.too.large` (413), unread when the
 * length is declared.
 */
export function callbackBodyParser(limitBytes: number): RequestHandler {
  return json({ limit: limitBytes, strict: false });
}
