import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { PollReadStatusUseCase, RecallSendUseCase } from '@dingrelay/domain';
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
import { apiRequest, startTestApi } from './support/test-api.js';

const APP = { appKey: 'read-recall-e2e-app', appSecret: 'read-recall-e2e-secret', robotCode: 'read-recall-e2e-robot' };

/**
 * The read/recall endpoints over HTTP. The worker's scanners are off (they scan the whole database, and this one is
 * shared with other suites); where the worker must act, the test runs the scanners' use-cases on its own send.
 */
describe('read status refresh and recall over HTTP', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('api-read-recall');
  let userSeq = 0;

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP] });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: 'default', ...APP }],
      readTracking: { pollScheduleMs: [3_600_000] },
    });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const http = () => apiRequest(api);

  async function deliveredSend(users: number): Promise<string> {
    const userIds = Array.from({ length: users }, () => `user-${(userSeq += 1)}`);
    const created = await http().post('/v1/sends').send({ userIds, msgKey: 'sampleText', msgParam: { content: 'read me' } }).expect(202);
    const id = created.body.id as string;
    await waitFor(
      async () => (await http().get(`/v1/sends/${id}`).expect(200)).body as { status: string },
      (s) => s.status === 'completed',
      { timeoutMs: 15_000, intervalMs: 50, description: `send ${id} to complete` },
    );
    return id;
  }

  async function batchId(sendId: string): Promise<string> {
    const [row] = await db.query(`SELECT id FROM batches WHERE send_id = $1`, [sendId]);
    return (row as { id: string }).id;
  }

  it('404 for an unknown send on both endpoints', async () => {
    const id = randomUUID();
    for (const path of [`/v1/sends/${id}/recall`, `/v1/sends/${id}/read-status/refresh`, '/v1/sends/not-a-uuid/recall']) {
      const res = await http().post(path).expect(404);
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
  });

  it('refresh makes polls due now (202); the send shows read counts; recipients show their read state', async () => {
    const id = await deliveredSend(3);
    const before = await http().get(`/v1/sends/${id}`).expect(200);
    expect(before.body.read).toMatchObject({ read: 0, unread: 0, notChecked: 3, batchesPolling: 1, lastCheckedAt: null });
    expect(before.body.recall).toBeNull();

    const [{ process_query_key: key }] = await db.query(`SELECT process_query_key FROM batches WHERE send_id = $1`, [id]);
    sim.markRead(key, ['user-' + (userSeq - 2)]);
    const res = await http().post(`/v1/sends/${id}/read-status/refresh`).expect(202);
    expect(res.body).toEqual({ id, batches: 1, unreadRecipients: 3 });
    expect(await worker.get(PollReadStatusUseCase).execute(await batchId(id))).toMatchObject({ kind: 'polled', newlyRead: 1, unread: 2 });

    const after = await http().get(`/v1/sends/${id}`).expect(200);
    expect(after.body.read).toMatchObject({ read: 1, unread: 2, notChecked: 0, batchesPolling: 1 });
    expect(after.body.read.lastCheckedAt).toEqual(expect.any(String));
    const page = await http().get(`/v1/sends/${id}/recipients`).expect(200);
    expect(page.body.items.map((r: { readStatus: string }) => r.readStatus)).toEqual(['read', 'unread', 'unread']);
    expect(page.body.items[0].readAt).toEqual(expect.any(String));
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'send.read-status.refresh' AND target_id = $1`, [id]);
    expect(n).toBe(1);
  });

  it('recall: 202 with what will be recalled, a replay on the second call, progress on the send, no DingTalk call in the request', async () => {
    const id = await deliveredSend(25);
    const callsBefore = sim.stats().batchRecall.calls;
    const first = await http().post(`/v1/sends/${id}/recall`).expect(202);
    expect(first.body).toMatchObject({ id, replayed: false, batchesToRecall: 2, batchesExpired: 0, batchesInFlight: 0, recipientsCancelled: 0 });
    expect(first.body.send.recall).toMatchObject({ completedAt: null, recalled: 0, failed: 0, pending: 25 });
    expect(sim.stats().batchRecall.calls).toBe(callsBefore);

    const second = await http().post(`/v1/sends/${id}/recall`).expect(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toMatchObject({ id, replayed: true });
    expect(second.body.send.recall.requestedAt).toBe(first.body.send.recall.requestedAt);

    expect(await worker.get(RecallSendUseCase).execute(id)).toEqual({ kind: 'completed', recalled: 25, failed: 0 });
    const after = await http().get(`/v1/sends/${id}`).expect(200);
    expect(after.body.recall).toMatchObject({ recalled: 25, failed: 0, pending: 0, failedByReason: {} });
    expect(after.body.recall.completedAt).toEqual(expect.any(String));
    const page = await http().get(`/v1/sends/${id}/recipients?maxResults=1`).expect(200);
    expect(page.body.items[0]).toMatchObject({ recallStatus: 'recalled', recallReason: null, recalledAt: expect.any(String) });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'send.recall' AND target_id = $1`, [id]);
    expect(n).toBe(1);
  });

  it('past 24 h: recall and refresh answer 409 with a clear message, and DingTalk sees no call', async () => {
    const id = await deliveredSend(2);
    await db.query(`UPDATE batches SET sent_at = sent_at - interval '25 hours' WHERE send_id = $1`, [id]);
    const calls = { recall: sim.stats().batchRecall.calls, read: sim.stats().readStatus.calls };
    const recall = await http().post(`/v1/sends/${id}/recall`).expect(409);
    expect(recall.body).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(recall.body.message).toContain('more than 24 h ago');
    const refresh = await http().post(`/v1/sends/${id}/read-status/refresh`).expect(409);
    expect(refresh.body.message).toContain('within 24 h');
    expect((await http().get(`/v1/sends/${id}`).expect(200)).body.recall).toBeNull();
    expect({ recall: sim.stats().batchRecall.calls, read: sim.stats().readStatus.calls }).toEqual(calls);
  });
});
