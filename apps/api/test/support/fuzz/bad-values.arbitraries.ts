import fc from 'fast-check';
import type { Schema } from './openapi-operations.js';

/**
 * Bad values, as fast-check arbitraries: what a careless or hostile client sends. Strings cover control characters,
 * NUL, odd Unicode (lone surrogates, bidi overrides, zero-width, emoji, combining marks), injection-looking text,
 * prototype names, numbers out of any range and dates that do not exist; JSON values add wrong types, deep nesting
 * and prototype keys.
 */

const ODD_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\u0001\u0002\u0003',
  'line\nbreak',
  'tab\there',
  'cr\rlf\r\n',
  '\u007f\u0085',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  '\ud800',
  'x\udfffy',
  '😀'.repeat(3),
  'e\u0301\u0301\u0301',
  '中文名称',
  'ﷺ',
  "' OR 1=1--",
  '"; DROP TABLE sends; --',
  '../../etc/passwd',
  '%00',
  '%zz',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9'.repeat(40),
  '-9223372036854775809',
  '0x10',
  '2024-13-45T99:99:99Z',
  '2024-02-30T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-01-01T00:00:00',
  '00000000-0000-0000-0000-00000000000g',
  '{"a":1}',
  '[]',
  '*',
  '<script>alert(1)</script>',
  'drk_000000000000_' + 'A'.repeat(43),
];

/**
 * Node answers a request line and headers over 16 KB itself, with a bare 431 before any of dingrelay's code runs; URL
 * parts stay well under that (three mutations of at most 4,000 characters), bodies go far past every limit.
 */
const LONGEST_IN_URL = 4_000;

/** A string no field should take as it is (`inUrl`: short enough for a URL, see LONGEST_IN_URL). */
export function badString(maxLength = 256, inUrl = false): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }) },
    // Overlong: just past the documented limit, and far past it.
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(maxLength + 1), 'é'.repeat(maxLength + 1), 'y'.repeat(inUrl ? LONGEST_IN_URL : 20_000)) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), fc.constantFrom('\u0000', '\ud800', '\u202e', '\n')).map(([s, c]) => `${s}${c}${s}`) },
  );
}

/** A number outside what `schema` allows, or no number at all in a number's place. */
export function badNumberText(schema: Schema): fc.Arbitrary<string> {
  const edges: string[] = ['-1', '0', '1.5', '1e3', '1e309', '-1e309', '9007199254740993', '9'.repeat(30), 'NaN', 'abc', '', ' 5', '5 ', '0x10', '+1', '--1'];
  if (schema.minimum !== undefined) edges.push(String(schema.minimum - 1));
  if (schema.maximum !== undefined) edges.push(String(schema.maximum + 1), String(schema.maximum * 1000));
  return fc.oneof(fc.constantFrom(...edges), fc.integer().map(String), badString(256, true));
}

/** JSON text of an object nested `depth` levels deep: `{"a":{"a":…1…}}`. */
export function nestedJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A JSON value with an own `__proto__` or `constructor` key (JSON.parse keeps it as a property, not a prototype). */
const prototypeObject = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map((key) => JSON.parse(`{"${key}":{"polluted":true,"toString":1}}`) as unknown);

/** A JSON value in the place of one that `schema` describes: wrong type, out of range, odd string, deep, prototype keys. */
export function badJsonValue(schema: Schema): fc.Arbitrary<unknown> {
  const wrongTypes = fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], [[[]]], { a: 1 }, '');
  const outOfRange: unknown[] = [];
  if (schema.minimum !== undefined) outOfRange.push(schema.minimum - 1, schema.minimum - 0.5);
  if (schema.maximum !== undefined) outOfRange.push(schema.maximum + 1);
  if (schema.maxLength !== undefined) outOfRange.push('z'.repeat(schema.maxLength + 1));
  if (schema.maxItems !== undefined) outOfRange.push(Array.from({ length: Math.min(schema.maxItems + 1, 200_000) }, (_, i) => `u${i}`));
  if (schema.type === 'array') outOfRange.push([], [null], [1, 2], ['a\u0000b'], ['dup', 'dup']);
  if (schema.enum) outOfRange.push(`${String(schema.enum[0])}x`, String(schema.enum[0]).toUpperCase() + '\u0000');
  return fc.oneof(
    { weight: 3, arbitrary: wrongTypes },
    { weight: 3, arbitrary: badString(schema.maxLength ?? 256) },
    { weight: outOfRange.length > 0 ? 3 : 0, arbitrary: outOfRange.length > 0 ? fc.constantFrom(...outOfRange) : fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(33, 40, 200).map((d) => JSON.parse(nestedJson(d)) as unknown) },
    { weight: 1, arbitrary: prototypeObject },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** A page token no page handed out: garbage, or well-formed base64url JSON whose parts are out of range. */
export function badPageToken(real: string | undefined): fc.Arbitrary<string> {
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
  const position = fc.oneof(
    fc.constantFrom<unknown[]>(
      ['9223372036854775808'],
      ['-9223372036854775809'],
      ['2024-13-45T99:99:99.000000Z', '00000000-0000-4000-8000-000000000000'],
      ['2024-02-30T00:00:00Z', 'not-a-uuid'],
      ['a\u0000b'],
      ['\ud800'],
      [null],
      [{}],
      [[]],
      [1e308],
      [-1],
      [],
      ['x', 'y', 'z', 'w'],
    ),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
  );
  const decodedReal = real ? (JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
  return fc.oneof(
    fc.constantFrom('', '=', '!!!!', 'a'.repeat(600), '%zz', 'e30', b64('not json'), b64('[]'), b64('null'), b64('{"v":99}'), b64({ v: 1 })),
    badString(256, true),
    position.map((p) => b64({ v: 1, s: 'guess', p })),
    // A real token's scope and version with a position no row can have: only the position is on trial.
    position.map((p) => (decodedReal ? b64({ ...decodedReal, p }) : b64({ v: 1, p }))),
    fc.constantFrom('__proto__', 'constructor').map((k) => b64(`{"${k}":{"v":1},"v":1,"s":"x","p":[]}`)),
  );
}

/**
 * A URL part as sent: `text` is percent-encoded byte by byte (lone surrogates included), `raw` goes on the wire as it
 * is — malformed percent-escapes (`%`, `%zz`, `%E0%A4%A`, an encoded NUL) are only expressible that way.
 */
export type UrlPart = { text: string } | { raw: string };

export const malformedEscape: fc.Arbitrary<UrlPart> = fc
  .constantFrom('%', '%z', '%zz', '%%', '%E0%A4%A', '%C0%AE', '%FF%FE', '%00', 'a%00b', '%ED%A0%80', '%2e%2e%2f', '%25zz', '%u0041')
  .map((raw) => ({ raw }));

/** A bad value for a path or query parameter described by `schema`. */
export function badUrlPart(schema: Schema, where: 'path' | 'query' = 'query'): fc.Arbitrary<UrlPart> {
  // An empty path parameter is another path (`/v1/chat-configurations/` is the collection), not a bad value for it.
  if (where === 'path') return badUrlPart(schema).filter((part) => !('text' in part) || part.text !== '');
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return fc.oneof(
    { weight: 4, arbitrary: (numeric ? badNumberText(schema) : badString(Math.min(schema.maxLength ?? 256, 600), true)).map((text) => ({ text })) },
    { weight: 1, arbitrary: malformedEscape },
    { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '.', '..').map((text) => ({ text })) },
  );
}

/** Percent-encodes every byte outside RFC 3986's unreserved set; never throws (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function urlPartText(part: UrlPart): string {
  return 'raw' in part ? part.raw : percentEncode(part.text);
}
