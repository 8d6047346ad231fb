import fc from 'fast-check';
import { badJsonValue, badPageToken, badString, badUrlPart, nestedJson, type UrlPart } from './bad-values.arbitraries.js';
import type { Operation, Schema } from './openapi-operations.js';

export type Caller = 'admin' | 'sender' | 'auditor' | 'none';

/** A valid request for an operation, which the fuzzer spoils. */
export interface Baseline {
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: () => Record<string, string>;
  body?: unknown;
  /** A real page token of this operation (for tokens whose position only is out of range). */
  pageToken?: string;
}

/** One request to send: the operation, who calls, and every part as it goes on the wire. */
export interface FuzzCase {
  operation: string;
  caller: Caller;
  path: Record<string, UrlPart>;
  query: [string, UrlPart][];
  headers: Record<string, string>;
  /**
   * The body's bytes as text, and its content type (none: no body). `opaque`: too deep to parse and re-serialise in
   * this process (a later body mutation starts from the baseline body instead).
   */
  body?: { text: string; contentType?: string; opaque?: true };
  /** What was spoiled, for the counterexample. */
  mutations: string[];
}

const CALLER: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 7, arbitrary: fc.constant<Caller>('admin') },
  { weight: 1, arbitrary: fc.constant<Caller>('sender') },
  { weight: 1, arbitrary: fc.constant<Caller>('auditor') },
  { weight: 1, arbitrary: fc.constant<Caller>('none') },
);

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/jsonx',
  'application/*',
  '*/*',
  'application/json; charset=utf-8; x="\\"',
];

type Mutation = (c: FuzzCase) => FuzzCase;

/** Keys a body or query might be polluted with, beside random ones. */
const ODD_KEYS = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a\u0000b', '', ' ', '$where', 'x'.repeat(300)), fc.string({ maxLength: 12 }));

/** Leaf and container paths of a JSON value, `[]` being the value itself. */
function jsonPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && prefix.length < 4) {
    for (const [key, child] of Object.entries(value)) jsonPaths(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy: Record<string | number, unknown> = Array.isArray(root) ? [...(root as unknown[])] as never : { ...(root as object) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (rest.length === 0) {
    if (remove) delete copy[head];
    else copy[head] = value;
  } else {
    copy[head] = setAt(copy[head], rest, value, remove);
  }
  return copy;
}

function schemaAt(schema: Schema | undefined, path: (string | number)[], resolve: (s: Schema | undefined) => Schema): Schema {
  let current = resolve(schema);
  for (const part of path) {
    if (current.oneOf) current = resolve(current.oneOf[0]);
    current = resolve(typeof part === 'number' ? current.items : current.properties?.[part]);
  }
  return current;
}

/**
 * The mutations that apply to an operation: each spoils one part of the baseline request. Path and query parameters
 * come from the document; body fields from the baseline body and the body schema's properties.
 */
export function mutationsFor(operation: Operation, baseline: Baseline, resolve: (s: Schema | undefined) => Schema): fc.Arbitrary<Mutation>[] {
  const out: fc.Arbitrary<Mutation>[] = [];
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const headerParams = operation.parameters.filter((p) => p.in === 'header');

  if (pathParams.length > 0) {
    out.push(
      fc.constantFrom(...pathParams).chain((p) =>
        badUrlPart(p.schema, 'path').map((value) => (c: FuzzCase) => ({
          ...c,
          path: { ...c.path, [p.name]: value },
          mutations: [...c.mutations, `path ${p.name} = ${JSON.stringify(value)}`],
        })),
      ),
    );
  }
  if (queryParams.length > 0) {
    out.push(
      fc.constantFrom(...queryParams).chain((p) =>
        (p.name.toLowerCase() === 'nexttoken' ? badPageToken(baseline.pageToken).map((text): UrlPart => ({ text })) : badUrlPart(p.schema)).map(
          (value) => (c: FuzzCase) => ({
            ...c,
            query: [...c.query.filter(([name]) => name !== p.name), [p.name, value] as [string, UrlPart]],
            mutations: [...c.mutations, `query ${p.name} = ${JSON.stringify(value)}`],
          }),
        ),
      ),
    );
    // A parameter given twice (Express then hands over an array).
    out.push(
      fc.constantFrom(...queryParams).map((p) => (c: FuzzCase) => {
        const given = c.query.find(([name]) => name === p.name) ?? [p.name, { text: 'a' } as UrlPart];
        return { ...c, query: [...c.query, given, [p.name, { text: 'b' }] as [string, UrlPart]], mutations: [...c.mutations, `query ${p.name} twice`] };
      }),
    );
    const required = queryParams.filter((p) => p.required);
    if (required.length > 0) {
      out.push(
        fc.constantFrom(...required).map((p) => (c: FuzzCase) => ({
          ...c,
          query: c.query.filter(([name]) => name !== p.name),
          mutations: [...c.mutations, `query ${p.name} (required) removed`],
        })),
      );
    }
  }
  // Unknown and prototype query keys, bracket syntax, malformed escapes in the query string itself.
  out.push(
    fc.tuple(ODD_KEYS, badString(256, true)).map(([key, value]) => (c: FuzzCase) => ({
      ...c,
      query: [...c.query, [key, { text: value }] as [string, UrlPart]],
      mutations: [...c.mutations, `query ${JSON.stringify(key)} (unknown) = ${JSON.stringify(value)}`],
    })),
    fc.constantFrom('__proto__[polluted]', 'constructor[prototype][x]', 'a[b][c][d][e][f]', '%zz', '%').map((key) => (c: FuzzCase) => ({
      ...c,
      query: [...c.query, [key, { raw: '1' }] as [string, UrlPart]],
      mutations: [...c.mutations, `query raw key ${key}`],
    })),
  );
  for (const h of headerParams) {
    out.push(
      // Only what an HTTP client can put in a header (printable ASCII): Node refuses to send anything else.
      badString(256, true).filter(isPrintableAscii).map((value) => (c: FuzzCase) => ({
        ...c,
        headers: { ...c.headers, [h.name]: value },
        mutations: [...c.mutations, `header ${h.name} = ${JSON.stringify(value)}`],
      })),
    );
  }

  if (operation.body) {
    const body = baseline.body ?? {};
    const paths = jsonPaths(body).filter((p) => p.length > 0);
    const props = Object.keys(resolve(operation.body).properties ?? {}).map((k) => [k]);
    const fieldPaths = [...paths, ...props.filter((p) => !paths.some((q) => q.length === 1 && q[0] === p[0]))];
    if (fieldPaths.length > 0) {
      out.push(
        fc.constantFrom(...fieldPaths).chain((path) =>
          badJsonValue(schemaAt(operation.body, path, resolve)).map((value) => (c: FuzzCase) => withBody(c, setAt(parsed(c, body), path, value), `body ${path.join('.')} = ${short(value)}`)),
        ),
      );
      out.push(fc.constantFrom(...fieldPaths).map((path) => (c: FuzzCase) => withBody(c, setAt(parsed(c, body), path, undefined, true), `body ${path.join('.')} removed`)));
      // A field nested thousands deep: written as text, since serialising such a value here would overflow the stack.
      out.push(
        fc.tuple(fc.constantFrom(...fieldPaths), fc.constantFrom(5_000, 20_000)).map(([path, depth]) => (c: FuzzCase) => {
          const text = JSON.stringify(setAt(parsed(c, body), path, DEEP)).replace(JSON.stringify(DEEP), nestedJson(depth));
          return { ...c, body: { text, contentType: 'application/json', opaque: true }, mutations: [...c.mutations, `body ${path.join('.')} nested ${depth} deep`] };
        }),
      );
    }
    out.push(
      fc.tuple(ODD_KEYS, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => (c: FuzzCase) => {
        const text = JSON.stringify(parsed(c, body)).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},`);
        return { ...c, body: { text, contentType: 'application/json' }, mutations: [...c.mutations, `body extra key ${JSON.stringify(key)}`] };
      }),
      fc
        .constantFrom('', 'null', '[]', '1', '"text"', '{', '{"a":', '{"a":1,}', "{'a':1}", '\u0000', '\ufeff{}', nestedJson(5_000), `[${'['.repeat(5_000)}${']'.repeat(5_001)}`, '{"a":1}{"a":2}', 'NaN')
        .map((text) => (c: FuzzCase) => ({ ...c, body: { text, contentType: 'application/json', opaque: true }, mutations: [...c.mutations, `body = ${short(text)}`] })),
      fc.constantFrom(...WRONG_CONTENT_TYPES).map((contentType) => (c: FuzzCase) => ({
        ...c,
        body: { text: c.body?.text ?? JSON.stringify(body), contentType, ...(c.body?.opaque ? { opaque: true as const } : {}) },
        mutations: [...c.mutations, `content type ${JSON.stringify(contentType)}`],
      })),
    );
  } else if (operation.method !== 'head') {
    // A body where none is documented, in odd types. (Not on HEAD: Node's HTTP parser refuses a HEAD with a body
    // itself, with a bare 400 and no headers, before any of dingrelay's code could answer.)
    out.push(
      fc.tuple(fc.constantFrom('application/json', ...WRONG_CONTENT_TYPES), fc.constantFrom('{"__proto__":{"x":1}}', '{', nestedJson(3_000), 'Action=DeleteChatConfiguration&Name=%zz', '\u0000')).map(
        ([contentType, text]) => (c: FuzzCase) => ({ ...c, body: { text, contentType }, mutations: [...c.mutations, `unexpected body (${contentType}) ${short(text)}`] }),
      ),
    );
  }
  return out;
}

/** Stands for the deep value until the body is text. */
const DEEP = '\u0001deep\u0001';

function isPrintableAscii(text: string): boolean {
  return [...text].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) < 0x7f);
}

function parsed(c: FuzzCase, fallback: unknown): unknown {
  if (!c.body || c.body.contentType !== 'application/json' || c.body.opaque) return fallback;
  try {
    const value = JSON.parse(c.body.text) as unknown;
    return value !== null && typeof value === 'object' ? value : fallback;
  } catch {
    return fallback;
  }
}

function withBody(c: FuzzCase, value: unknown, what: string): FuzzCase {
  return { ...c, body: { text: JSON.stringify(value) ?? 'null', contentType: 'application/json' }, mutations: [...c.mutations, what] };
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

/** The baseline as a case, untouched. */
export function baselineCase(operation: Operation, baseline: Baseline, caller: Caller): FuzzCase {
  return {
    operation: operation.id,
    caller,
    path: Object.fromEntries(Object.entries(baseline.path ?? {}).map(([k, v]) => [k, { text: v }])),
    query: Object.entries(baseline.query ?? {}).map(([k, v]) => [k, { text: v }]),
    headers: baseline.headers?.() ?? {},
    ...(baseline.body !== undefined ? { body: { text: JSON.stringify(baseline.body), contentType: 'application/json' } } : {}),
    mutations: [],
  };
}

/** 1 to 3 mutations of the operation's baseline, by one caller. */
export function fuzzCase(operation: Operation, baseline: Baseline, resolve: (s: Schema | undefined) => Schema): fc.Arbitrary<FuzzCase> {
  const mutations = mutationsFor(operation, baseline, resolve);
  return fc
    .tuple(CALLER, fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
    .map(([caller, chosen]) => chosen.reduce((c, mutate) => mutate(c), baselineCase(operation, baseline, caller)));
}
