import { readFile } from 'node:fs/promises';

/**
 * What Java, Go and other code generators need of apps/api/openapi.json beyond Redocly's lint (the drift test in
 * openapi.e2e.spec.ts keeps the file equal to what the server serves): method names, one class per shape and per
 * enum, one consistent way of saying null, a schema for every body, and every error under its status's schema.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Operation = JsonObject & {
  operationId?: string;
  requestBody?: JsonObject;
  responses: Record<string, JsonObject & { content?: Record<string, JsonObject> }>;
};
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonObject> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const SCHEMA = '#/components/schemas/';

let document: Document;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ where: `${method.toUpperCase()} ${path}`, method, operation })),
  );

/** Every schema object under `node`, with its JSON path. */
function* schemasIn(node: Json, path: string): Generator<{ path: string; schema: JsonObject }> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemasIn(item, `${path}/${i}`);
    return;
  }
  const isSchema = path.endsWith('/schema') || /\/(properties\/[^/]+|items|additionalProperties|(allOf|oneOf|anyOf)\/\d+)$/.test(path) || /^#\/components\/schemas\/[^/]+$/.test(path);
  if (isSchema) yield { path, schema: node };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    yield* schemasIn(value, `${path}/${key}`);
  }
}

const isComponentRoot = (path: string) => /^#\/components\/schemas\/[^/]+$/.test(path);

beforeAll(async () => {
  document = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8')) as Document;
});

describe('OpenAPI document for code generators', () => {
  it('gives every operation a unique, camelCase operationId (a method name in every language)', () => {
    const ids = operations().map(({ where, operation }) => ({ where, id: operation.operationId }));
    expect(ids.filter(({ id }) => typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
    const seen = new Map<string, string>();
    const duplicates = ids.filter(({ where, id }) => (seen.has(id!) ? true : (seen.set(id!, where), false)));
    expect(duplicates).toEqual([]);
  });

  it('names every object with properties: no inline anonymous object outside components.schemas roots', () => {
    const inline = [...schemasIn(document as unknown as Json, '#')]
      .filter(({ path, schema }) => !isComponentRoot(path) && typeof schema['properties'] === 'object' && schema['properties'] !== null)
      .map(({ path }) => path);
    expect(inline).toEqual([]);
  });

  it('names every enum of more than one value (a constant, such as a discriminator value, may stay inline)', () => {
    const unnamed = [...schemasIn(document as unknown as Json, '#')]
      .filter(({ path, schema }) => !isComponentRoot(path) && Array.isArray(schema['enum']) && schema['enum'].length > 1)
      .map(({ path }) => path);
    expect(unnamed).toEqual([]);
  });

  it("says null the OpenAPI 3.0 way only: `nullable` next to a `type`, never a type list or a 'null' type", () => {
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    const wrong = [...schemasIn(document as unknown as Json, '#')]
      .filter(({ schema }) => Array.isArray(schema['type']) || schema['type'] === 'null' || (schema['nullable'] !== undefined && typeof schema['type'] !== 'string'))
      .map(({ path }) => path);
    expect(wrong).toEqual([]);
  });

  it('gives every body a named schema: JSON through a $ref, files and metrics as text', () => {
    const problems: string[] = [];
    for (const { where, method, operation } of operations()) {
      const bodies: [string, Record<string, JsonObject> | undefined][] = [
        ['request', operation.requestBody?.['content'] as Record<string, JsonObject> | undefined],
        ...Object.entries(operation.responses).map(([status, response]): [string, Record<string, JsonObject> | undefined] => [status, response.content]),
      ];
      for (const [which, content] of bodies) {
        if (!content) {
          if (which !== 'request' && method !== 'head') problems.push(`${where} ${which}: no content`);
          continue;
        }
        for (const [mediaType, media] of Object.entries(content)) {
          const schema = media['schema'] as JsonObject | undefined;
          const named = typeof schema?.['$ref'] === 'string';
          const text = schema?.['type'] === 'string' && mediaType !== 'application/json';
          if (!named && !text) problems.push(`${where} ${which} ${mediaType}: not a named schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("answers each error status with that status's own schema, whose code enum holds only codes of that status", () => {
    const problems: string[] = [];
    for (const { where, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || method === 'head') continue;
        const ref = response.content?.['application/json']?.['schema']?.['$ref' as never] as string | undefined;
        if (!ref) {
          problems.push(`${where} ${status}: no application/json error schema`);
          continue;
        }
        const name = ref.slice(SCHEMA.length);
        if (name === 'OosError' || name === 'HealthStatus') continue;
        const example = document.components.schemas[name]?.['example'] as JsonObject | undefined;
        if (example?.['status'] !== Number(status)) problems.push(`${where} ${status}: answered with ${name}, whose example says ${String(example?.['status'])}`);
        const codes = document.components.schemas[`${name}Code`]?.['enum'];
        if (!Array.isArray(codes) || codes.length === 0) problems.push(`${where} ${status}: ${name} has no code enum`);
      }
    }
    expect(problems).toEqual([]);
    // The codes per status, as the exception filter maps them: a new code or a changed mapping shows up here.
    const codes = (name: string) => document.components.schemas[`${name}Code`]?.['enum'];
    expect(codes('ValidationError')).toEqual(['VALIDATION_FAILED', 'MALFORMED_JSON']);
    expect(codes('ServiceUnavailableError')).toEqual(['SERVICE_UNAVAILABLE', 'DINGTALK_UNAVAILABLE']);
    expect(codes('NotFoundError')).toEqual(['NOT_FOUND']);
    expect(codes('DingTalkRejectedError')).toEqual(['DINGTALK_REJECTED']);
  });

  it('declares Retry-After on every 429 and 503 error answer, and Idempotent-Replayed where a replay can answer', () => {
    const missing = operations().flatMap(({ where, method, operation }) =>
      ['429', '503']
        .filter((status) => operation.responses[status] && method !== 'head' && !(operation.responses[status]!['headers'] as JsonObject | undefined)?.['Retry-After'])
        .filter((status) => !(operation.responses[status]!.content?.['application/json']?.['schema'] as JsonObject | undefined)?.['$ref']?.toString().endsWith('/HealthStatus'))
        .map((status) => `${where} ${status}`),
    );
    expect(missing).toEqual([]);
    expect(document.paths['/v1/sends']!['post']!.responses['202']!['headers']).toHaveProperty('Idempotent-Replayed');
    expect(document.paths['/v1/sends/{id}/recall']!['post']!.responses['202']!['headers']).toHaveProperty('Idempotent-Replayed');
  });
});
