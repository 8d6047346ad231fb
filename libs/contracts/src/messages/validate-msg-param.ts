import type { ApiErrorDetail } from '../errors/api-error.js';
import { appendFieldPath, describeJsonType, quoteForMessage } from '../errors/field-path.js';
import {
  isMsgKey,
  MSG_KEY_CATALOG,
  MSG_KEYS,
  type MsgKeyDefinition,
  type MsgParamFieldFormat,
} from './msg-key-catalog.js';

/**
 * Largest `msgParam` DingTalk accepts, in bytes of its UTF-8 JSON. Documented for the group-message API; the 1:1
 * limit is unpublished (spec §3.1), so the documented one is assumed rather than learning it from a failed batch.
 */
export const MAX_MSG_PARAM_BYTES = 15000;

/** Unknown fields reported one by one before the rest are summed up: a typo needs one line, not ten thousand. */
const MAX_UNKNOWN_FIELDS_REPORTED = 20;

// TextEncoder, not Buffer: this package also runs outside Node (browser clients, edge runtimes).
const utf8 = new TextEncoder();
const DIGITS = /^[0-9]+$/;

/** Why a msgKey value is unusable, or `undefined` when it names a catalog entry. */
export function describeMsgKeyProblem(msgKey: unknown, path = 'msgKey'): string | undefined {
  if (isMsgKey(msgKey)) return undefined;
  const expected = `expected one of: ${MSG_KEYS.join(', ')}`;
  if (msgKey === undefined || msgKey === null) return `${path} is required; ${expected}`;
  if (typeof msgKey !== 'string') return `${path} must be a string, got ${describeJsonType(msgKey)}; ${expected}`;
  return `${path} ${quoteForMessage(msgKey)} is not a supported msgKey; ${expected}`;
}

/**
 * Checks `msgParam` against the rules of `msgKey` and returns one detail per problem (empty when valid). Pure and
 * synchronous, so the API, a client SDK and tests all judge a message the same way.
 */
export function validateMsgParam(msgKey: string, msgParam: unknown): ApiErrorDetail[] {
  const msgKeyProblem = describeMsgKeyProblem(msgKey);
  if (msgKeyProblem) {
    // Fields cannot be judged without a template, but the shape and size can, and reporting them now saves the
    // client a second round trip.
    return [{ field: 'msgKey', message: msgKeyProblem }, ...checkMsgParam(undefined, msgParam, 'msgParam')];
  }
  return checkMsgParam(MSG_KEY_CATALOG[msgKey as keyof typeof MSG_KEY_CATALOG], msgParam, 'msgParam');
}

/**
 * The msgParam checks with the template already resolved (`undefined` when the msgKey is unusable) and the path
 * the value sits at, for callers that report the msgKey problem themselves.
 */
export function checkMsgParam(
  definition: MsgKeyDefinition | undefined,
  msgParam: unknown,
  path: string,
): ApiErrorDetail[] {
  if (msgParam === undefined || msgParam === null) {
    return [{ field: path, message: `${path} is required and must be a JSON object` }];
  }
  if (typeof msgParam !== 'object' || Array.isArray(msgParam)) {
    const hint =
      typeof msgParam === 'string'
        ? ' (send the object itself, not a JSON-encoded string: dingrelay serializes it for DingTalk)'
        : '';
    return [{ field: path, message: `${path} must be a JSON object, got ${describeJsonType(msgParam)}${hint}` }];
  }

  const params = msgParam as Record<string, unknown>;
  const details: ApiErrorDetail[] = [];
  if (definition) {
    for (const field of definition.fields) {
      const problem = checkField(field, params, definition, path);
      if (problem) details.push(problem);
    }
    details.push(...checkUnknownFields(definition, params, path));
  }
  const sizeProblem = checkSize(params, path);
  if (sizeProblem) details.push(sizeProblem);
  return details;
}

function checkField(
  field: MsgKeyDefinition['fields'][number],
  params: Record<string, unknown>,
  definition: MsgKeyDefinition,
  path: string,
): ApiErrorDetail | undefined {
  const fieldPath = appendFieldPath(path, field.name);
  const detail = (message: string): ApiErrorDetail => ({ field: fieldPath, message: `${fieldPath} ${message}` });
  const value = Object.hasOwn(params, field.name) ? params[field.name] : undefined;

  if (value === undefined) {
    return field.required ? detail(`is required for ${definition.msgKey}`) : undefined;
  }
  if (typeof value !== 'string') {
    // DingTalk's templates take strings only; coercing here would hide a client bug (e.g. a number duration in
    // the wrong unit) behind a message that looks accepted.
    return detail(`must be a string, got ${describeJsonType(value)}`);
  }
  if (value.trim() === '') {
    return detail(field.required ? 'must not be empty' : 'must not be empty (omit it instead)');
  }
  return field.format && !matchesFormat(value, field.format)
    ? detail(`${describeFormat(field.format)}, got ${quoteForMessage(value)}`)
    : undefined;
}

function matchesFormat(value: string, format: MsgParamFieldFormat): boolean {
  switch (format.kind) {
    case 'digits':
      return DIGITS.test(value);
    case 'oneOf':
      return format.values.includes(value);
  }
}

function describeFormat(format: MsgParamFieldFormat): string {
  switch (format.kind) {
    case 'digits':
      return `must be a whole number of ${format.unit} written as digits only`;
    case 'oneOf':
      return `must be one of: ${format.values.join(', ')}`;
  }
}

function checkUnknownFields(
  definition: MsgKeyDefinition,
  params: Record<string, unknown>,
  path: string,
): ApiErrorDetail[] {
  const known = new Set<string>(definition.fields.map((f) => f.name));
  const expected = definition.fields.map((f) => f.name).join(', ');
  const unknown = Object.keys(params).filter((key) => !known.has(key));
  const details = unknown.slice(0, MAX_UNKNOWN_FIELDS_REPORTED).map((key): ApiErrorDetail => {
    const fieldPath = appendFieldPath(path, key);
    return {
      field: fieldPath,
      message: `${fieldPath} is not a field of ${definition.msgKey}; expected one of: ${expected}`,
    };
  });
  const unlisted = unknown.length - details.length;
  if (unlisted > 0) {
    details.push({
      field: path,
      message: `${path} has ${unlisted} more fields that are not fields of ${definition.msgKey}; expected one of: ${expected}`,
    });
  }
  return details;
}

function checkSize(params: Record<string, unknown>, path: string): ApiErrorDetail | undefined {
  let json: string;
  try {
    json = JSON.stringify(params);
  } catch {
    // Only reachable from code, not from a parsed HTTP body (cycles, BigInt).
    return { field: path, message: `${path} must be serializable as JSON` };
  }
  const bytes = utf8.encode(json).byteLength;
  return bytes > MAX_MSG_PARAM_BYTES
    ? {
        field: path,
        message: `${path} is ${bytes} bytes as UTF-8 JSON; the limit is ${MAX_MSG_PARAM_BYTES} bytes`,
      }
    : undefined;
}
