/** A reference to a schema under `components.schemas` (redocly's lint checks that each one resolves). */
export function ref(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * A reference that may be null. OpenAPI 3.0 ignores siblings of `$ref`, so `nullable` goes on an `allOf` wrapper
 * that states the type too: the form generators (openapi-typescript, openapi-generator) read as "X or null".
 */
export function nullableRef(
  name: string,
  description?: string,
  type: 'object' | 'string' = 'object',
): { type: 'object' | 'string'; allOf: { $ref: string }[]; nullable: true; description?: string } {
  return { type, allOf: [ref(name)], nullable: true, ...(description ? { description } : {}) };
}
