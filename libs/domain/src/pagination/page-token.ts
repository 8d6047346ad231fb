import { InvalidInputError } from '../errors/domain.error.js';

/**
 * Opaque keyset cursors (`nextToken`): the position after the last row returned, bound to the query it came from,
 * so a token from one filter can't silently be replayed against another.
 */
export function encodePageToken(scope: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify({ v: 1, s: scope, p: position }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, scope: string): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError('nextToken', 'is not a token this API issued');
  }
  const candidate = parsed as { v?: unknown; s?: unknown; p?: unknown } | null;
  if (!candidate || candidate.v !== 1 || !Array.isArray(candidate.p)) {
    throw new InvalidInputError('nextToken', 'is not a token this API issued');
  }
  if (candidate.s !== scope) {
    throw new InvalidInputError('nextToken', 'belongs to a different query; start again without it');
  }
  return candidate.p as (string | number)[];
}
