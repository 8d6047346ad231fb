import { readFileSync } from 'node:fs';

/** A JSON Schema object as the OpenAPI document writes it (only the keywords the fuzzer reads are typed). */
export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One operation of the document, with what the fuzzer needs to build bad requests and judge the answers. */
export interface Operation {
  id: string;
  method: 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
  /** The path template, `/v1/sends/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, resolved one level ($ref followed). */
  body?: Schema;
  /** Statuses the operation documents. */
  statuses: ReadonlySet<number>;
  /** The schema of each documented error answer (resolved). */
  errorSchemas: ReadonlyMap<number, Schema>;
  /** No API key needed (`security: []`). */
  public: boolean;
}

interface Document {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

interface RawOperation {
  operationId: string;
  parameters?: { name: string; in: Parameter['in']; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: unknown[];
}

const METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete']);

/** The OpenAPI document as a list of operations, in the document's order. */
export class OpenApiOperations {
  private readonly doc: Document;

  constructor(file: string) {
    this.doc = JSON.parse(readFileSync(file, 'utf8')) as Document;
  }

  /** A schema with its `$ref` followed (repeatedly); other keywords as they are. */
  resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = this.doc.components.schemas[name] ?? {};
    }
    return current;
  }

  list(): Operation[] {
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const [method, raw] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const errorSchemas = new Map<number, Schema>();
        for (const [status, response] of Object.entries(raw.responses)) {
          const schema = response.content?.['application/json']?.schema;
          if (Number(status) >= 400 && schema) errorSchemas.set(Number(status), this.resolve(schema));
        }
        const body = raw.requestBody?.content['application/json']?.schema;
        operations.push({
          id: raw.operationId,
          method: method as Operation['method'],
          path,
          parameters: (raw.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: this.resolve(p.schema) })),
          ...(body ? { body: this.resolve(body) } : {}),
          statuses: new Set(Object.keys(raw.responses).map(Number)),
          errorSchemas,
          public: Array.isArray(raw.security) && raw.security.length === 0,
        });
      }
    }
    return operations;
  }

  /** Every status some operation of the document declares. */
  declaredStatuses(): Set<number> {
    return new Set(this.list().flatMap((op) => [...op.statuses]));
  }
}
