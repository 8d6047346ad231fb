import { InvalidInputError } from '../errors/domain.error.js';
import { isUuid } from '../ids/uuid.js';

/**
 * Opaque keyset cursors (`nextToken`): the position after the last row returned, bound to the query it came from,
 * so a token from one filter can't silently be replayed against another.
 */
export function encodePageToken(scope: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify({ v: 1, s: scope, p: position }), 'utf8').toString('base64url');
}

/**
 * What one element of a position may be. A token is the caller's input like any other: each element is checked to be
 * a value its column can hold, so a forged or edited token is a 400 naming `nextToken`, never a SQL error.
 * - `bigint`: a Postgres bigint id as decimal text (0 … 2⁶³−1);
 * - `instant`: a UTC timestamp with microseconds (`2026-12-07T05:20:00.123456Z`) that is a real date and time;
 * - `uuid`; `text`: any string Postgres can store (no NUL).
 */
export type PositionPart = 'bigint' | 'instant' | 'uuid' | 'text';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const MICROS_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;

const VALID: Record<PositionPart, (value: string) => boolean> = {
  bigint: (value) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT,
  instant: (value) => {
    const seconds = MICROS_INSTANT.exec(value)?.[1];
    if (!seconds) return false;
    // A calendar check: Date rolls 2024-13-45 over into another date, so the round trip tells a real instant.
    const parsed = new Date(`${seconds}Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === seconds;
  },
  uuid: (value) => isUuid(value),
  text: (value) => !value.includes('\u0000'),
};

function notIssued(): InvalidInputError {
  return new InvalidInputError('nextToken', 'is not a token this API issued');
}

/** The position a page continues after: exactly `parts.length` elements, each valid for its part. */
export function decodePageToken<const Parts extends readonly PositionPart[]>(token: string, scope: string, parts: Parts): { [K in keyof Parts]: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw notIssued();
  }
  const candidate = parsed as { v?: unknown; s?: unknown; p?: unknown } | null;
  if (!candidate || candidate.v !== 1 || !Array.isArray(candidate.p)) throw notIssued();
  if (candidate.s !== scope) {
    throw new InvalidInputError('nextToken', 'belongs to a different query; start again without it');
  }
  const position: unknown[] = candidate.p;
  if (position.length !== parts.length) throw notIssued();
  return parts.map((part, i) => {
    const value = position[i];
    if (typeof value !== 'string' || !VALID[part](value)) throw notIssued();
    return value;
  }) as { [K in keyof Parts]: string };
}
