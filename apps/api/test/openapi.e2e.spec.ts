import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@dingrelay/testing';
import { ACCESS_METADATA, type AccessRule, PUBLIC_METADATA } from '../src/auth/access.decorator.js';
import { buildOpenApiDocumentOffline, offlineApiEnvironment } from '../src/openapi/offline-openapi-document.js';
import { serializeOpenApiDocument } from '../src/openapi/openapi-document.js';
import { registeredRoutes } from '../src/http/registered-routes.js';
import { apiRequest, startTestApi } from './support/test-api.js';

/**
 * apps/api/openapi.json is generated (`npm run openapi`, also part of `npm run build`) and committed so integrating
 * teams can read and diff the API without running it. These tests fail when the file drifts from the server, and
 * when a route is documented too thinly to use.
 */

const COMMITTED_FILE = new URL('../openapi.json', import.meta.url);
const REGENERATE = 'Run `npm run openapi` and commit apps/api/openapi.json.';

type Operation = {
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { description?: string }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

describe('OpenAPI document (apps/api/openapi.json)', () => {
  let api: INestApplication;
  let served: Document;
  const prefix = uniqueQueuePrefix('api-openapi');

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'robot' });
    served = (await apiRequest(api, null).get('/docs/openapi.json').expect(200)).body as Document;
  });

  afterAll(async () => {
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  it('is committed exactly as the running API serves it at /docs/openapi.json', async () => {
    const committed = await readFile(COMMITTED_FILE, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new Error(`apps/api/openapi.json is missing (${e.code}). ${REGENERATE}`);
    });
    const differences = describeDifferences(JSON.parse(committed) as Document, served);
    if (differences.length > 0) {
      throw new Error(`apps/api/openapi.json differs from the document the API serves. ${REGENERATE}\n  ${differences.join('\n  ')}`);
    }
    // Same content; the bytes too (formatting, key order, final newline), so regenerating never shows a spurious diff.
    expect(committed === serializeOpenApiDocument(served as unknown as OpenAPIObject) ? 'identical' : `not byte-identical. ${REGENERATE}`).toBe('identical');
  });

  it('is generated without Postgres or Redis: the offline build connects to neither and equals the served one', async () => {
    // Both URLs point at a listener that counts connections; preview mode must never open one.
    const listener = await countingListener();
    try {
      const document = await buildOpenApiDocumentOffline({
        ...offlineApiEnvironment(),
        DATABASE_URL: `postgres://openapi@127.0.0.1:${listener.port}/openapi`,
        REDIS_URL: `redis://127.0.0.1:${listener.port}`,
      });
      expect(document).toEqual(served);
      expect(await buildOpenApiDocumentOffline()).toEqual(document);
      expect(listener.connections()).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('says outright that an export download link takes no key, and that creating one does', () => {
    expect(served.paths['/v1/exports/downloads/{token}']!['get']!.security).toEqual([]);
    expect(served.paths['/v1/exports/downloads/{token}']!['head']!.security).toEqual([]);
    expect(served.paths['/v1/exports/links']!['post']!.security).toEqual([{ bearer: [] }]);
  });

  it('gives every route a summary and its success response; keyed routes declare the bearer key and its 401/403/429/503, public ones `security: []`', () => {
    const reflector = new Reflector();
    expect(served.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    const problems: string[] = [];
    for (const route of registeredRoutes(api)) {
      const where = `${route.method.toUpperCase()} ${route.route}`;
      const operation = served.paths[route.route.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      if (!operation) {
        problems.push(`${where}: not in the document`);
        continue;
      }
      if (!operation.summary?.trim()) problems.push(`${where}: no summary (@ApiOperation({ summary }))`);
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${where}: no success (2xx) response documented`);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response.description?.trim()) problems.push(`${where}: response ${status} has no description`);
      }
      const access = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [route.handler, route.controller]);
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, [route.handler, route.controller]);
      if (access) {
        if (JSON.stringify(operation.security) !== JSON.stringify([{ bearer: [] }])) problems.push(`${where}: needs a key but declares no bearer security`);
        // Routes exempt from the per-key rate (the metrics scrape) have no 429 to document.
        for (const status of access.rateLimited === false ? ['401', '403', '503'] : ['401', '403', '429', '503']) {
          if (!statuses.includes(status)) problems.push(`${where}: needs a key but documents no ${status}`);
        }
      } else if (isPublic && JSON.stringify(operation.security) !== '[]') {
        // A public route says outright that it takes no key, so generated clients send none (and lint is clean).
        problems.push(`${where}: public but does not declare security: []`);
      } else if (!isPublic) {
        problems.push(`${where}: neither @Access nor @Public`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the status and code of real error answers, including those the middleware, pipe and parser give', async () => {
    const anySend = '3f9a6c2e-8b1d-4e7a-9c55-0d2b7f4e1a66';
    const answers = [
      { method: 'get', path: '/v1/sends/{id}', res: await apiRequest(api, null).get(`/v1/sends/${anySend}`) },
      { method: 'get', path: '/v1/sends/{id}', res: await apiRequest(api).get(`/v1/sends/${anySend}`) },
      { method: 'get', path: '/v1/sends/{id}/events', res: await apiRequest(api).get(`/v1/sends/${anySend}/events?maxResults=0`) },
      { method: 'get', path: '/v1/sends', res: await apiRequest(api).get('/v1/sends?colour=blue') },
      { method: 'get', path: '/health/live', res: await apiRequest(api, null).get('/health/live').set('Content-Type', 'text/plain').send('hi') },
      { method: 'post', path: '/v1/api-keys', res: await apiRequest(api).post('/v1/api-keys').set('Content-Type', 'application/json').send('{"name":') },
      { method: 'post', path: '/v1/sends', res: await apiRequest(api).post('/v1/sends').send({ userIds: [] }) },
      {
        method: 'post',
        path: '/v1/sends',
        res: await apiRequest(api).post('/v1/sends').set('Content-Type', 'application/json').send(`{"userIds":["${'u'.repeat(9 * 1024 * 1024)}"]}`),
      },
    ];
    const schemas = served.components['schemas'] as Record<string, { enum?: string[] }>;
    const seen = answers.map(({ method, path, res }) => {
      const documented = served.paths[path]![method]!.responses[String(res.status)] as
        | { content?: Record<string, { schema?: { $ref?: string } }> }
        | undefined;
      const schema = documented?.content?.['application/json']?.schema?.$ref?.replace('#/components/schemas/', '');
      const codes = schema ? schemas[`${schema}Code`]?.enum : undefined;
      return { answer: `${method.toUpperCase()} ${path} → ${res.status} ${(res.body as { code?: string }).code}`, documented: Boolean(codes?.includes((res.body as { code: string }).code)) };
    });
    expect(seen.map(({ answer }) => answer)).toEqual([
      'GET /v1/sends/{id} → 401 UNAUTHORIZED',
      'GET /v1/sends/{id} → 404 NOT_FOUND',
      'GET /v1/sends/{id}/events → 400 VALIDATION_FAILED',
      'GET /v1/sends → 400 VALIDATION_FAILED',
      'GET /health/live → 415 UNSUPPORTED_MEDIA_TYPE',
      'POST /v1/api-keys → 400 MALFORMED_JSON',
      'POST /v1/sends → 400 VALIDATION_FAILED',
      'POST /v1/sends → 413 PAYLOAD_TOO_LARGE',
    ]);
    expect(seen.filter(({ documented }) => !documented)).toEqual([]);
  });
});

/** Which paths, methods and schemas differ, for the failure message (the full documents are too long to print). */
function describeDifferences(committed: Document, served: Document): string[] {
  const differences: string[] = [];
  const compare = (what: string, a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in b)) differences.push(`${what} ${key}: in the file, no longer served`);
      else if (!(key in a)) differences.push(`${what} ${key}: served, missing from the file`);
      else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) differences.push(`${what} ${key}: changed`);
    }
  };
  const { paths: committedPaths, components: committedComponents, ...committedRest } = committed;
  const { paths: servedPaths, components: servedComponents, ...servedRest } = served;
  compare('path', committedPaths, servedPaths);
  compare('component', committedComponents, servedComponents);
  compare('field', committedRest, servedRest);
  return differences;
}

async function countingListener(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listener has no port');
  return {
    port: address.port,
    connections: () => connections,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
