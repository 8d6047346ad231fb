import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NO_API_KEY_EXTENSION } from '../auth/access.decorator.js';
import { NAMED_SCHEMAS } from './named-schemas.js';

/** Where the running API serves the document (the UI is at /docs). */
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/**
 * The API's OpenAPI document, built from the controllers' decorators. The server serves it and `npm run openapi`
 * commits it as apps/api/openapi.json (the drift test compares the two), so both come from this one function.
 * Paths and schemas are sorted by name so the document does not depend on the order modules are registered in.
 * It carries no servers, hosts, ports or dates: the same code always gives the same bytes.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('dingrelay')
      .setDescription('Gateway for DingTalk enterprise robot one-to-one messages: paced, retried, recorded.')
      .setVersion('0.1.0')
      // Routes declaring @Access() reference it (see auth/access.decorator.ts).
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: drk_<prefix>_<secret>' })
      .build(),
  );
  const components = document.components ?? {};
  return {
    ...document,
    paths: sortedByKey(withoutKeyMarked(document.paths)),
    components: { ...components, schemas: sortedByKey({ ...components.schemas, ...NAMED_SCHEMAS }) },
  };
}

/** The committed file's bytes: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Operations marked by @NoApiKeyInOpenApi() state `security: []`. */
function withoutKeyMarked(paths: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const marked = operation !== null && typeof operation === 'object' && NO_API_KEY_EXTENSION in operation;
          if (!marked) return [method, operation];
          const { [NO_API_KEY_EXTENSION]: _mark, ...rest } = operation as Record<string, unknown>;
          return [method, { ...rest, security: [] }];
        }),
      ),
    ]),
  );
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
