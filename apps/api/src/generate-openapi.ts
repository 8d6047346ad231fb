import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocumentOffline } from './openapi/offline-openapi-document.js';
import { serializeOpenApiDocument } from './openapi/openapi-document.js';

/**
 * `npm run openapi` (and `npm run build`): writes apps/api/openapi.json from the built API, without Postgres or Redis.
 * Commit the result; apps/api/test/openapi.e2e.spec.ts fails while it differs from what the server serves.
 */
const target = fileURLToPath(new URL('../openapi.json', import.meta.url));

try {
  await writeFile(target, serializeOpenApiDocument(await buildOpenApiDocumentOffline()));
  process.stdout.write(`wrote ${target}\n`);
} catch (error) {
  process.stderr.write(`could not generate the OpenAPI document: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
