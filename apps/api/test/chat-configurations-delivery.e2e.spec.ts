import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  deleteQueuePrefix,
  openTestDataSource,
  prepareTestDatabase,
  startTestDeliveryWorker,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { OutputCapture } from './support/capture-output.js';
import { apiRequest, startTestApi } from './support/test-api.js';

const run = randomBytes(3).toString('hex');
// Two DingTalk apps, each with its own robot; their secrets reach the worker only through the table.
const APP_A = { appKey: `cfg-a-${run}`, appSecret: `cfg-a-secret-${randomBytes(8).toString('hex')}`, robotCode: `cfg-a-robot-${run}` };
const APP_B = { appKey: `cfg-b-${run}`, appSecret: `cfg-b-secret-${randomBytes(8).toString('hex')}`, robotCode: `cfg-b-robot-${run}` };
const A = `deliver-a-${run}`;
const B = `deliver-b-${run}`;

describe('two chat configurations sending at once', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  const capture = new OutputCapture();
  const prefix = uniqueQueuePrefix('chat-config-delivery');

  beforeAll(async () => {
    capture.start();
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP_A, APP_B], users: { pattern: '^cd-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'not-used-here' });
    // Nothing pinned: the worker reads both configurations (and decrypts their secrets) from the table.
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      settings: { concurrency: 8 },
    });
    capture.attach(api);
    capture.attach(worker);
    db = await openTestDataSource();
  });

  afterAll(async () => {
    capture.stop();
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const http = () => apiRequest(api);
  const users = (from: number, count: number) => Array.from({ length: count }, (_, i) => `cd-${from + i}`);

  it("each delivers through its own app: its own token, its own pace, its own usage; an inactive one is refused", async () => {
    for (const [name, app, callsPerSecond] of [[A, APP_A, 3], [B, APP_B, 8]] as const) {
      const res = await http()
        .post('/v1/chat-configurations')
        .send({
          name,
          type: 'DingTalk',
          configuration: {
            clientId: app.appKey,
            clientSecret: app.appSecret,
            robotCode: app.robotCode,
            callsPerSecond,
            paceUtilization: 0.9,
            // A has a quota of its own; B uses the deployment's (DINGTALK_MONTHLY_CALL_QUOTA, 5,000).
            monthlyCallQuota: name === A ? 1_000 : null,
          },
        });
      expect(res.status).toBe(201);
    }

    // 9 calls at 2.7/s and 27 calls at 7.2/s (90% of each app's limit): about three and a half seconds each, side by side.
    const msg = { msgKey: 'sampleText', msgParam: { content: `two apps ${run}` } };
    const [sendA, sendB] = await Promise.all([
      http().post('/v1/sends').send({ ...msg, userIds: users(1, 180), chatConfiguration: A }),
      http().post('/v1/sends').send({ ...msg, userIds: users(1000, 540), chatConfiguration: B }),
    ]);
    expect([sendA.status, sendB.status]).toEqual([202, 202]);
    const done = (id: string) =>
      waitFor(() => http().get(`/v1/sends/${id}`).then((r) => r.body), (s) => s.status === 'completed', { timeoutMs: 30_000 });
    const [doneA, doneB] = await Promise.all([done(sendA.body.id), done(sendB.body.id)]);
    expect(doneA.recipients).toMatchObject({ total: 180, delivered: 180 });
    expect(doneB.recipients).toMatchObject({ total: 540, delivered: 540 });

    const stats = sim.stats();
    // One token per app, each fetched with that app's own credentials.
    expect(stats.accessTokensByApp).toEqual({ [APP_A.appKey]: 1, [APP_B.appKey]: 1 });
    // Each app at its own configured pace. The pacer lets a holder that comes back late by less than one interval
    // still fire, so a 1 s window can see one call more than the pace: A (3/s) at most 4, B (8/s) at most 9, and B
    // well above anything A's pace allows.
    const peakA = stats.peakBatchSendPerSecondByApp[APP_A.appKey]!;
    const peakB = stats.peakBatchSendPerSecondByApp[APP_B.appKey]!;
    expect(peakA).toBeGreaterThanOrEqual(2);
    expect(peakA).toBeLessThanOrEqual(4);
    expect(peakB).toBeGreaterThanOrEqual(6);
    expect(peakB).toBeLessThanOrEqual(9);
    // Each app's robot sent its own users, and only those.
    const calls = sim.ledger.allCalls();
    for (const [app, expected, callCount] of [[APP_A, users(1, 180), 9], [APP_B, users(1000, 540), 27]] as const) {
      const mine = calls.filter((c) => c.appKey === app.appKey);
      expect(mine).toHaveLength(callCount);
      expect(new Set(mine.map((c) => c.robotCode))).toEqual(new Set([app.robotCode]));
      expect(mine.flatMap((c) => c.delivered).sort()).toEqual([...expected].sort());
    }
    // Usage is metered per configuration.
    const usage: { chat_configuration: string; calls: string }[] = await db.query(
      `SELECT chat_configuration, sum(calls)::text AS calls FROM dingtalk_usage WHERE chat_configuration = ANY($1) GROUP BY 1 ORDER BY 1`,
      [[A, B]],
    );
    expect(usage).toEqual([{ chat_configuration: A, calls: '9' }, { chat_configuration: B, calls: '27' }]);
    const usageView = (await http().get('/v1/usage').expect(200)).body.configurations as { chatConfiguration: string; calls: number; quota: { monthlyCalls: number; remaining: number } }[];
    expect(usageView.find((c) => c.chatConfiguration === A)).toMatchObject({ calls: 9, quota: { monthlyCalls: 1_000, remaining: 991 } });
    expect(usageView.find((c) => c.chatConfiguration === B)).toMatchObject({ calls: 27, quota: { monthlyCalls: 5_000, remaining: 4_973 } });

    // Deactivated: refused at once, and nothing is written for it.
    expect((await http().patch(`/v1/chat-configurations/${A}`).send({ status: 'inactive' })).status).toBe(200);
    const before = Number((await db.query(`SELECT count(*) AS n FROM sends WHERE chat_configuration = $1`, [A]))[0].n);
    const refused = await http().post('/v1/sends').send({ ...msg, userIds: users(5000, 3), chatConfiguration: A });
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual([{ field: 'chatConfiguration', message: 'is inactive' }]);
    const after = Number((await db.query(`SELECT count(*) AS n FROM sends WHERE chat_configuration = $1`, [A]))[0].n);
    expect(after).toBe(before);
    const recipients = Number((await db.query(`SELECT count(*) AS n FROM recipients WHERE user_id = ANY($1)`, [users(5000, 3)]))[0].n);
    expect(recipients).toBe(0);

    // Neither app's secret was logged by the API or the worker along the way.
    const logs = capture.text();
    expect(logs).not.toContain(APP_A.appSecret);
    expect(logs).not.toContain(APP_B.appSecret);
  });
});
