import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NO_API_KEY_EXTENSION } from '../auth/access.decorator.js';
import { DOCUMENTED_ERROR_STATUSES, type DocumentedErrorStatus, errorComponentSchemas, errorSchemaName } from './error.schemas.js';
import { withFrameworkErrorResponses } from './framework-error-responses.js';
import { NAMED_SCHEMAS } from './named-schemas.js';

/** Where the running API serves the document (the UI is at /docs). */
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/**
 * Where the API is. First the origin the document itself is served from (`/`), so Swagger UI at /docs calls the API
 * it was loaded from, wherever that is deployed; then a variable whose default is where `npm start` listens, for
 * generators and tools that need an absolute URL. A generated client sets its deployment's base URL either way.
 * Never read from the environment: the document must be the same bytes wherever it is generated.
 */
const SERVERS = [
  { url: '/', description: 'The origin this document is served from (what /docs uses)' },
  {
    url: '{origin}',
    description: "Your dingrelay API's origin: scheme, host and port, no path",
    variables: { origin: { default: 'http://localhost:3000', description: 'e.g. https://dingrelay.example.internal' } },
  },
];

/**
 * The API's OpenAPI document, built from the controllers' decorators. The server serves it and `npm run openapi`
 * commits it as apps/api/openapi.json (the drift test compares the two), so both come from this one function.
 * Paths and schemas are sorted by name so the document does not depend on the order modules are registered in.
 * It carries no hosts, ports or dates from the environment: the same code always gives the same bytes.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('dingrelay')
    .setDescription('Gateway for DingTalk enterprise robot one-to-one messages: paced, retried, recorded.')
    .setVersion('0.1.0')
    .setLicense('Apache-2.0', 'https://spdx.org/licenses/Apache-2.0.html')
    // Routes declaring @Access() reference it (see auth/access.decorator.ts).
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: drk_<prefix>_<secret>' });
  for (const server of SERVERS) config.addServer(server.url, server.description, 'variables' in server ? server.variables : undefined);
  const document = SwaggerModule.createDocument(app, config.build());
  const components = document.components ?? {};
  const paths = sortedByKey(withFrameworkErrorResponses(withoutKeyMarked(document.paths)));
  return {
    ...document,
    paths,
    components: {
      ...components,
      schemas: sortedByKey({ ...components.schemas, ...NAMED_SCHEMAS, ...errorComponentSchemas(errorStatusesIn(paths)) }),
    },
  };
}

/** The committed file's bytes: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Operations marked by @Public() state `security: []`. */
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

/** The statuses whose error schema some response references, so the document holds those and no unused one. */
function errorStatusesIn(paths: OpenAPIObject['paths']): DocumentedErrorStatus[] {
  const json = JSON.stringify(paths);
  return DOCUMENTED_ERROR_STATUSES.filter((status) => json.includes(`"#/components/schemas/${errorSchemaName(status)}"`));
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
