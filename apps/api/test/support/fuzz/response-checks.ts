import type { Response } from 'supertest';
import type { Operation } from './openapi-operations.js';

/** Statuses any operation may answer without listing them, provided the document declares them somewhere. */
const GENERIC_STATUSES = [401, 403, 404, 405, 413, 415, 429];

/** The statuses an answer to `operation` may have: its own, and the generic ones the document declares. */
export function allowedStatuses(operation: Operation, declared: ReadonlySet<number>): Set<number> {
  return new Set([...operation.statuses, ...GENERIC_STATUSES.filter((s) => declared.has(s))]);
}

/**
 * Problems with an error answer's shape: the X-Request-Id header and the body's request id must be the caller's, and
 * the body must be the documented error for that status — `{status, code, message, details[{field, message}],
 * requestId}`, or OOS's `{RequestId, HostId, Code, Message, Recommend}` where the operation documents that.
 */
export function errorShapeProblems(operation: Operation, res: Response, requestId: string): string[] {
  const problems: string[] = [];
  if (res.headers['x-request-id'] !== requestId) problems.push(`X-Request-Id is ${JSON.stringify(res.headers['x-request-id'])}, not the caller's`);
  if (operation.method === 'head') return problems;
  const body = res.body as Record<string, unknown> | undefined;
  if (!/^application\/json/.test(String(res.headers['content-type']))) return [...problems, `content type ${String(res.headers['content-type'])}, not JSON`];
  if (!body || typeof body !== 'object') return [...problems, 'no JSON object body'];
  // An operation answering errors in OOS's shape does so for generic statuses it does not list too.
  const oos = [...operation.errorSchemas.values()].some((s) => s.required?.includes('RequestId'));
  const schema = operation.errorSchemas.get(res.status);
  for (const field of schema?.required ?? []) if (!(field in body)) problems.push(`the documented field ${field} is missing`);
  if (oos) {
    if (body['RequestId'] !== requestId) problems.push(`RequestId is ${JSON.stringify(body['RequestId'])}, not the caller's`);
    for (const field of ['Code', 'Message']) if (typeof body[field] !== 'string') problems.push(`${field} is not a string`);
    return problems;
  }
  if (body['requestId'] !== requestId) problems.push(`requestId is ${JSON.stringify(body['requestId'])}, not the caller's`);
  if (body['status'] !== res.status) problems.push(`status is ${JSON.stringify(body['status'])}, not ${res.status}`);
  for (const field of ['code', 'message']) if (typeof body[field] !== 'string') problems.push(`${field} is not a string`);
  const details = body['details'];
  if (!Array.isArray(details) || !details.every((d) => d && typeof d.field === 'string' && typeof d.message === 'string')) {
    problems.push(`details is not a list of {field, message}: ${JSON.stringify(details)}`);
  } else if (res.status === 400 && details.length === 0) {
    problems.push('a 400 names no field');
  }
  return problems;
}
