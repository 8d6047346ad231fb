import { appendFieldPath, type ApiErrorDetail } from '@dingrelay/contracts';

/** Deeper than any request dingrelay documents (msgParam's deepest is a few levels); validators recurse per level. */
export const MAX_INPUT_DEPTH = 32;

/** A UTF-16 surrogate without its pair: not Unicode text, and Postgres (jsonb above all) refuses it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Keys that reach Object.prototype or a class's constructor when copied onto an object; never a field of ours. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first problem with a request value (body, query or path parameter) that no field rule can see or that would
 * break what runs after: nesting deeper than MAX_INPUT_DEPTH (validation recurses once per level), a NUL character
 * in a key or string (Postgres text cannot hold it), an unpaired UTF-16 surrogate (nor can jsonb), or a key that
 * names a prototype. Walks without recursion, so
 * the walk itself cannot overflow the stack, and stops at the first problem.
 */
export function findInputShapeProblem(value: unknown, root?: string): ApiErrorDetail | undefined {
  const pending: { value: unknown; path: string | undefined; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    const field = path ?? '(body)';
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { field, message: `${field} must not contain NUL characters (\\u0000)` };
      if (LONE_SURROGATE.test(current)) return { field, message: `${field} must be well-formed Unicode (it has an unpaired surrogate)` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field, message: `${field} is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(current)) {
      const childPath = appendFieldPath(path, Array.isArray(current) ? Number(key) : key);
      if (key.includes('\u0000')) return { field: childPath, message: `${childPath}: field names must not contain NUL characters (\\u0000)` };
      if (LONE_SURROGATE.test(key)) return { field: childPath, message: `${childPath}: field names must be well-formed Unicode (an unpaired surrogate)` };
      if (PROTOTYPE_KEYS.has(key)) return { field: childPath, message: `${childPath} is not a field this API accepts` };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
