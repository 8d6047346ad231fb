import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { deleteQueuePrefix, openTestDataSource, prepareTestDatabase, testDatabaseUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { type Caller, fuzzCase } from './support/fuzz/fuzz-case.arbitraries.js';
import { type FuzzFixtures, fuzzBaselines, NOT_FUZZED } from './support/fuzz/fuzz-baselines.js';
import { OpenApiOperations } from './support/fuzz/openapi-operations.js';
import { allowedStatuses, errorShapeProblems } from './support/fuzz/response-checks.js';
import { sendFuzzCase, urlOf } from './support/fuzz/send-fuzz-case.js';
import { changedRows, writtenRows } from './support/fuzz/written-rows.js';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

/**
 * Property-based fuzzing of every operation in apps/api/openapi.json (issue #13, "Fuzzing in CI"): for each, bad
 * input generated from the document — wrong types, missing and unknown fields, out-of-range numbers, overlong strings,
 * NUL and control characters, odd Unicode, deep JSON, prototype keys, forged page tokens, bad path parameters,
 * malformed percent-escapes, wrong content types — sent to the real API (real Postgres, Redis and the DingTalk
 * simulator) by an admin, a sender, an auditor or no key. Every answer must be below 500, a status the document lists
 * for the operation (or a generic one it declares), and for an error the documented shape with the caller's request
 * id; a rejected request must write no row. The suite has a database of its own, so counting rows is exact.
 *
 * FUZZ_SEED (default 20261207) and FUZZ_RUNS (cases per operation, default 150) reproduce or widen a run; a failure
 * prints fast-check's counterexample with its seed and path: FUZZ_SEED=<seed> reruns it.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const APP = { appKey: 'fuzz-app', appSecret: 'fuzz-secret', robotCode: 'fuzz-robot' };
const DOCUMENT = fileURLToPath(new URL('../openapi.json', import.meta.url));

const openApi = new OpenApiOperations(DOCUMENT);
const operations = openApi.list();
const declared = openApi.declaredStatuses();

/** Its own database: no other suite writes there while rows are counted. */
function fuzzDatabaseUrl(): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_openapi_fuzz`;
  return url.toString();
}

describe('OpenAPI fuzzing: bad input to every operation is a documented 4xx that writes nothing', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('api-fuzz');
  const keys = {} as Record<Exclude<Caller, 'none'>, string>;
  let fixtures: FuzzFixtures;
  const statuses = new Map<number, number>();
  let cases = 0;

  beforeAll(async () => {
    const databaseUrl = fuzzDatabaseUrl();
    await prepareTestDatabase(databaseUrl);
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^fuzz-u-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode, env: { DATABASE_URL: databaseUrl, DINGTALK_BASE_URL: sim.url } });
    db = await openTestDataSource(databaseUrl);
    fixtures = await setUp();
  }, 60_000);

  afterAll(async () => {
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    const excluded = Object.entries(NOT_FUZZED).map(([id, why]) => `${id} (${why})`).join('; ') || 'none';
    process.stdout.write(
      `\nopenapi fuzz: ${cases} cases over ${operations.length - Object.keys(NOT_FUZZED).length} operations ` +
        `(FUZZ_RUNS=${RUNS} each), FUZZ_SEED=${SEED} (operation i uses seed+i); statuses ${byStatus}; not fuzzed: ${excluded}\n`,
    );
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  async function setUp(): Promise<FuzzFixtures> {
    const run = randomUUID().slice(0, 8);
    const [main, target, doomed] = ['main', 'target', 'doomed'].map((n) => `fuzz-${n}-${run}`) as [string, string, string];
    for (const name of [main, target, doomed]) {
      await apiRequest(api).post('/v1/chat-configurations')
        .send({ name, type: 'DingTalk', configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode } })
        .expect(201);
    }
    const admin = await createTestApiKey(api, { role: 'admin', name: `fuzz-admin-${run}` });
    keys.admin = admin.key;
    keys.sender = (await createTestApiKey(api, { role: 'sender', name: `fuzz-sender-${run}`, chatConfigurations: [main, 'default'] })).key;
    keys.auditor = (await createTestApiKey(api, { role: 'auditor', name: `fuzz-auditor-${run}` })).key;
    const spare = await createTestApiKey(api, { role: 'auditor', name: `fuzz-spare-${run}` });
    const user = 'fuzz-u-1';
    const sends: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await apiRequest(api).post('/v1/sends')
        .send({ userIds: [user, 'fuzz-u-2'], msgKey: 'sampleText', msgParam: { content: `fuzz ${i}` }, chatConfiguration: main })
        .expect(202);
      sends.push(res.body.id);
    }
    const link = await apiRequest(api).post('/v1/exports/links').send({ export: 'sends', filters: {} }).expect(201);
    const pageTokens: Record<string, string> = {};
    const firstPages: [string, string][] = [
      ['listApiKeys', '/v1/api-keys?maxResults=1'],
      ['listAuditEvents', '/v1/audit-events?maxResults=1'],
      ['listChatConfigurations', '/v1/chat-configurations?maxResults=1'],
      ['listRecipientHistory', `/v1/recipients?userId=${user}&maxResults=1`],
      ['listSends', `/v1/sends?chatConfiguration=${main}&maxResults=1`],
      ['listSendEvents', `/v1/sends/${sends[0]}/events?maxResults=1`],
      ['listSendRecipients', `/v1/sends/${sends[0]}/recipients?maxResults=1`],
    ];
    for (const [id, path] of firstPages) {
      const token = (await apiRequest(api).get(path).expect(200)).body.nextToken;
      if (typeof token === 'string') pageTokens[id] = token;
    }
    return {
      app: APP,
      main,
      target,
      doomed,
      sends: [sends[0]!, sends[1]!],
      user,
      adminKeyId: admin.id,
      spareKeyId: spare.id,
      exportToken: String(link.body.url).split('/').pop()!,
      pageTokens,
    };
  }

  it('has a baseline for every operation in the document, or names why it is not fuzzed', () => {
    const baselines = fuzzBaselines(fixtures);
    const missing = operations.map((op) => op.id).filter((id) => !(id in baselines) && !(id in NOT_FUZZED));
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations.map((op, i) => [op.id, op, i] as const).filter(([id]) => !(id in NOT_FUZZED)))(
    '%s',
    async (_id, operation, index) => {
      const baseline = fuzzBaselines(fixtures)[operation.id]!;
      const allowed = allowedStatuses(operation, declared);
      await fc.assert(
        fc.asyncProperty(fuzzCase(operation, baseline, (s) => openApi.resolve(s)), async (c) => {
          const requestId = `fuzz-${randomUUID()}`;
          const before = await writtenRows(db);
          const res = await sendFuzzCase(api, operation, c, keys, requestId);
          cases++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const problems: string[] = [];
          if (res.status >= 500) problems.push(`answered ${res.status}`);
          if (!allowed.has(res.status)) problems.push(`answered ${res.status}, which ${operation.id} does not document`);
          if (res.status >= 400) {
            problems.push(...errorShapeProblems(operation, res, requestId));
            problems.push(...changedRows(before, await writtenRows(db)).map((change) => `a refused request wrote: ${change}`));
          }
          if (problems.length > 0) {
            throw new Error(
              `${operation.method.toUpperCase()} ${urlOf(operation, c)} as ${c.caller} (${c.mutations.join('; ')}):\n  ` +
                `${problems.join('\n  ')}\n  body: ${JSON.stringify(res.body).slice(0, 400)}`,
            );
          }
        }),
        { seed: SEED + index, numRuns: RUNS },
      );
    },
    120_000,
  );
});
