import type { OpenAPIObject } from '@nestjs/swagger';
import { type DocumentedErrorStatus, errorResponseBody } from './error.schemas.js';

/** Marks an operation that answers errors in a shape of its own (the OOS endpoint): left alone here. */
export const OWN_ERROR_SHAPE_EXTENSION = 'x-dingrelay-own-error-shape';

type Paths = OpenAPIObject['paths'];
type Operation = { requestBody?: unknown; parameters?: { in?: string }[]; responses?: Record<string, unknown>; [key: string]: unknown };

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Errors a route can answer because of what runs in front of it, not because of its own code, so no controller
 * has to repeat them (a route's own description of the same status wins):
 * - 415: the JSON-only middleware refuses any request body that is not application/json (every route but OOS's);
 * - 400: the validation pipe, on routes that take query parameters (their query class refuses bad and unknown ones);
 * - 400 (MALFORMED_JSON) and 413: the body parser, on routes that take a body;
 * - 400 on every other route too: a malformed percent-escape or NUL in the path, or a JSON body sent where none is taken;
 * - 500: the exception filter's answer to anything unexpected, on every route.
 * A HEAD answer has no body, so its responses keep their description and headers only.
 */
export function withFrameworkErrorResponses(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item as Record<string, unknown>).map(([method, value]) =>
          HTTP_METHODS.has(method) ? [method, completed(method, value as Operation)] : [method, value],
        ),
      ),
    ]),
  );
}

function completed(method: string, operation: Operation): Operation {
  const { [OWN_ERROR_SHAPE_EXTENSION]: ownShape, ...rest } = operation;
  const responses: Record<string, unknown> = { ...rest.responses };
  if (!ownShape) {
    const add = (status: DocumentedErrorStatus, description: string) => {
      responses[status] ??= { description, ...errorResponseBody(status) };
    };
    add(415, 'The request carries a body that is not application/json');
    if (rest.parameters?.some((parameter) => parameter.in === 'query')) add(400, 'A query parameter is invalid or unknown; details name it');
    if (rest.requestBody) {
      add(400, 'The body is not valid JSON (MALFORMED_JSON)');
      add(413, 'The body is over the size limit (API_BODY_LIMIT)');
    }
    // What runs in front of every route: the router refuses a malformed percent-escape, the input check a NUL in the
    // path, and the body parser a body that is not JSON, even where the route itself takes none.
    add(400, 'Malformed input in front of the route: a malformed percent-escape or NUL in the path, or a body that is not valid JSON; details name it');
    add(500, 'An unexpected error; the message quotes an error id to report');
  }
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...rest, responses: method === 'head' ? withoutBodies(sorted) : sorted };
}

function withoutBodies(responses: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const { content: _body, ...rest } = response as Record<string, unknown>;
      return [status, rest];
    }),
  );
}
