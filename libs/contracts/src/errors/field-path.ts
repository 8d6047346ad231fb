/**
 * Field paths name where a problem is in a request: `msgParam.title`, `userIds.3`, `msgParam["Title "]`.
 *
 * A path is built from segments a client chose (unknown msgParam keys, extra body fields), yet it must stay
 * unambiguous inside class-validator messages: those are split on whitespace and newlines to recover one
 * detail per problem, and class-validator rewrites `$property`-style tokens in them. So a segment that is not a
 * plain identifier or array index is written as a JSON string in brackets, with whitespace and `$` escaped as
 * `\uXXXX`: a path never contains whitespace or `$`.
 */

const PLAIN_SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_]*|0|[1-9][0-9]*)$/;
const UNSAFE_IN_PATH = /[\s$]/gu;
const UNSAFE_IN_MESSAGE = /\$/g;

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Appends one segment (a property name or an array index) to a path; `undefined` parent starts a new path. */
export function appendFieldPath(parent: string | undefined, segment: string | number): string {
  const text = String(segment);
  if (PLAIN_SEGMENT.test(text)) {
    return parent ? `${parent}.${text}` : text;
  }
  return `${parent ?? ''}[${JSON.stringify(text).replace(UNSAFE_IN_PATH, unicodeEscape)}]`;
}

/**
 * Quotes a client-supplied value for a message: JSON escapes newlines, `$` is escaped so class-validator's
 * token replacement cannot rewrite it, and long values are cut so a message never echoes a whole payload.
 */
export function quoteForMessage(value: string, maxLength = 64): string {
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return JSON.stringify(cut).replace(UNSAFE_IN_MESSAGE, unicodeEscape);
}

/** A short, safe name for a value's JSON type, for "must be a string, got number" messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
