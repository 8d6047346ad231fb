import type { ApiErrorBody } from '@dingrelay/contracts';
import { errorCodesOfStatus } from '../http/error-status.js';
import type { SchemaObject } from './send.schemas.js';

/**
 * The error body (contracts' ApiErrorBody) once per status, each under its own name with the `code` values that
 * status can carry (from the filter's STATUS_BY_CODE), so a generated client gets `NotFoundError` with a
 * `NotFoundErrorCode` enum rather than one error type whose every example says VALIDATION_FAILED.
 */
const ERRORS_BY_STATUS = {
  400: {
    name: 'ValidationError',
    message: 'Invalid request: msgParam.title should not be empty',
    details: [{ field: 'msgParam.title', message: 'should not be empty' }],
  },
  401: { name: 'UnauthorizedError', message: 'Missing API key: send Authorization: Bearer <key>' },
  403: { name: 'ForbiddenError', message: 'Keys with role auditor may not do this (allowed: admin, sender)' },
  404: { name: 'NotFoundError', message: 'Send 0b7a3c1e-4f0e-4d8e-9b7b-2f1d9c3a5e10 does not exist' },
  409: { name: 'ConflictError', message: 'Idempotency-Key was already used with a different request body' },
  410: { name: 'GoneError', message: "The send's per-recipient detail was purged by retention" },
  413: { name: 'PayloadTooLargeError', message: 'Request body exceeds the size limit' },
  415: { name: 'UnsupportedMediaTypeError', message: 'Send the request body as application/json' },
  422: {
    name: 'DingTalkRejectedError',
    message: 'DingTalk refused the call: robot does not exist',
    details: [{ field: 'dingtalk.code', message: 'robotNotExist' }],
  },
  429: { name: 'TooManyRequestsError', message: 'Too many requests with this API key; retry after 1 s' },
  500: { name: 'InternalError', message: 'Internal error; quote requestId 5f0c… (error id 9d1e…) when reporting it' },
  503: { name: 'ServiceUnavailableError', message: 'The database is busy or unreachable; retry shortly' },
} as const satisfies Record<number, { name: string; message: string; details?: readonly { field: string; message: string }[] }>;

export type DocumentedErrorStatus = keyof typeof ERRORS_BY_STATUS;

export const DOCUMENTED_ERROR_STATUSES = Object.keys(ERRORS_BY_STATUS).map(Number) as DocumentedErrorStatus[];

const DETAIL_SCHEMA_NAME = 'ApiErrorDetail';

/** Statuses whose answer says when to come back: every 429 (the key's rate, busy export places) and every 503. */
const RETRY_AFTER: Partial<Record<DocumentedErrorStatus, string>> = {
  429: 'Seconds to wait before the next request with this key (or before asking for an export place again)',
  503: 'Seconds to wait before retrying',
};

export function isDocumentedErrorStatus(status: number): status is DocumentedErrorStatus {
  return status in ERRORS_BY_STATUS;
}

export function errorSchemaName(status: DocumentedErrorStatus): string {
  return ERRORS_BY_STATUS[status].name;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A realistic body for the status, in its first code. */
export function errorExample(status: DocumentedErrorStatus): ApiErrorBody {
  const spec: { message: string; details?: readonly { field: string; message: string }[] } = ERRORS_BY_STATUS[status];
  return {
    status,
    code: errorCodesOfStatus(status)[0]!,
    message: spec.message,
    details: [...(spec.details ?? [])],
    requestId: '3f9a6c2e-8b1d-4e7a-9c55-0d2b7f4e1a66',
  };
}

/** What an error response declares: JSON whatever the route otherwise produces, the status's schema, its headers. */
export function errorResponseBody(status: DocumentedErrorStatus): {
  content: Record<string, { schema: { $ref: string }; example: ApiErrorBody }>;
  headers?: Record<string, { description: string; required: boolean; schema: SchemaObject }>;
} {
  const retryAfter = RETRY_AFTER[status];
  return {
    content: { 'application/json': { schema: ref(errorSchemaName(status)), example: errorExample(status) } },
    ...(retryAfter ? { headers: { 'Retry-After': { description: retryAfter, required: true, schema: { type: 'integer', minimum: 1 } } } } : {}),
  };
}

/** The component schemas the given statuses' responses reference: each error, its code enum, and the detail. */
export function errorComponentSchemas(statuses: Iterable<DocumentedErrorStatus>): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {
    [DETAIL_SCHEMA_NAME]: {
      type: 'object',
      description: 'One problem with one input field',
      required: ['field', 'message'],
      properties: {
        field: { type: 'string', description: 'A dotted path such as msgParam.title or userIds.3', example: 'msgParam.title' },
        message: { type: 'string', example: 'should not be empty' },
      },
    },
  };
  for (const status of statuses) {
    const name = errorSchemaName(status);
    schemas[`${name}Code`] = { type: 'string', enum: errorCodesOfStatus(status), description: `The codes a ${status} answer carries` };
    schemas[name] = {
      type: 'object',
      description: `dingrelay's error body, as answered with HTTP ${status}`,
      required: ['status', 'code', 'message', 'details', 'requestId'],
      properties: {
        status: { type: 'integer', description: `The HTTP status again (${status})` },
        code: ref(`${name}Code`),
        message: { type: 'string', description: 'For people; match on code, not on this' },
        details: { type: 'array', description: 'One entry per invalid input field; empty for other errors', items: ref(DETAIL_SCHEMA_NAME) },
        requestId: { type: 'string', description: 'Also the X-Request-Id response header; quote it when reporting a problem' },
      },
      example: errorExample(status),
    };
  }
  return schemas;
}
