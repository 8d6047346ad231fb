import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { deleteQueuePrefix, prepareTestDatabase, startTestDeliveryWorker, testRedisUrl, uniqueQueuePrefix, waitFor } from '@dingrelay/testing';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

/**
 * Issue #12: a client generated from apps/api/openapi.json must be usable as is. This generates one with
 * openapi-typescript (pinned), type-checks the programs in ./typed-client with tsc next to it (strict; they use it
 * through openapi-fetch, and assert that every contracts response interface fits its schema), then runs the
 * compiled program against the real API, worker, Postgres, Redis and the DingTalk simulator.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCUMENT = fileURLToPath(new URL('../openapi.json', import.meta.url));
const PROGRAMS = fileURLToPath(new URL('./typed-client/', import.meta.url));
const APP = { appKey: 'typed-client-app', appSecret: 'typed-client-secret', robotCode: 'typed-client-robot' };
const USERS = ['user-1', 'user-2', 'user-3'];

const run = promisify(execFile);

/** Runs node with `args`; resolves with stdout, or rejects with everything it printed. */
async function node(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`node ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

const tsc = (project: string) => node([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: ROOT });

describe('a TypeScript client generated from apps/api/openapi.json', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let dir: string;
  const prefix = uniqueQueuePrefix('api-typed-client');

  beforeAll(async () => {
    // Inside node_modules/.cache so that the programs resolve openapi-fetch and @dingrelay/contracts as any project would.
    await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
    dir = await mkdtemp(join(ROOT, 'node_modules/.cache/dingrelay-typed-client-'));
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^user-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    await api.listen(0, '127.0.0.1');
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: 'default', ...APP }],
    });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sim?.close();
    await deleteQueuePrefix(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('generates, type-checks strictly, and runs against the stack: a send created, found in the history with typed items, typed errors', async () => {
    // As the README says to: openapi-typescript's default makes request fields that have a `default` required.
    await node([join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), DOCUMENT, '--default-non-nullable', 'false', '-o', join(dir, 'dingrelay-api.d.ts')], {
      cwd: ROOT,
    });
    for (const program of ['send-and-list.program.ts', 'contracts-fit.program.ts']) await copyFile(join(PROGRAMS, program), join(dir, program));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.base.json'),
        compilerOptions: { rootDir: '.', outDir: 'out', declaration: false, sourceMap: false, noEmit: false },
        include: ['send-and-list.program.ts', 'contracts-fit.program.ts', 'dingrelay-api.d.ts'],
      }),
    );
    await tsc(join(dir, 'tsconfig.json'));

    const { key } = await createTestApiKey(api, { role: 'sender', name: 'typed-client', chatConfigurations: ['default'] });
    const output = await node([join(dir, 'out/send-and-list.program.js')], {
      cwd: dir,
      env: { DINGRELAY_URL: await api.getUrl(), DINGRELAY_API_KEY: key, DINGRELAY_USER_IDS: USERS.join(',') },
    });
    const result = JSON.parse(output) as Record<string, unknown> & { sendId: string };

    expect(result).toEqual({
      sendId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      accepted: USERS.length,
      replayed: 'true',
      replayedId: result.sendId,
      listedId: result.sendId,
      listedStatus: expect.stringMatching(/^(accepted|delivering|completed)$/),
      nextToken: null,
      statusMsgKey: 'sampleMarkdown',
      recall: null,
      missing: { status: 404, code: 'NOT_FOUND', details: [] },
      invalid: { status: 400, code: 'VALIDATION_FAILED', field: 'userIds' },
    });
    // The worker delivers what the typed client sent.
    const delivered = await waitFor(
      async () => (await apiRequest(api).get(`/v1/sends/${result.sendId}`).expect(200)).body as { status: string; recipients: unknown },
      (send) => send.status === 'completed',
      { description: 'the send to complete' },
    );
    expect(delivered.recipients).toMatchObject({ total: USERS.length, delivered: USERS.length });
  }, 90_000);

  it('fails the type check when a program reads a field the document does not give', async () => {
    await writeFile(
      join(dir, 'wrong-field.ts'),
      [
        "import createClient from 'openapi-fetch';",
        "import type { paths } from './dingrelay-api.js';",
        "const page = await createClient<paths>({ baseUrl: 'http://127.0.0.1:1' }).GET('/v1/sends');",
        'export const msgParam: unknown = page.data?.items[0]?.msgParam;',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'tsconfig.wrong.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: ['wrong-field.ts', 'dingrelay-api.d.ts'] }),
    );
    await expect(tsc(join(dir, 'tsconfig.wrong.json'))).rejects.toThrow(/TS2339: Property 'msgParam' does not exist/);
  }, 60_000);
});
