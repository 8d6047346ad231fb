import { getQueueToken } from '@nestjs/bull';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueName } from '@dingrelay/contracts';
import { deleteQueuePrefix, openTestDataSource, prepareTestDatabase, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import {
  CancelSendUseCase,
  CreateSendUseCase,
  DatabaseModule,
  GetSendStatusUseCase,
  ListRecipientsUseCase,
  PurgeRecipientDetailUseCase,
  QueueModule,
  RetentionModule,
  SendEventLog,
  SendsModule,
  systemActor,
} from '../src/index.js';

@Module({})
class RetentionTestRoot {}

const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The retention purge against real Postgres: old finished sends lose their recipient-level detail, in chunks; recent
 * ones and every audit event stay. Sends are finished by cancelling them (no worker needed for that).
 */
describe('recipient retention', () => {
  let context: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('domain-retention');
  const actor = systemActor('test');

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    context = await NestFactory.createApplicationContext(
      {
        module: RetentionTestRoot,
        imports: [
          DatabaseModule.forRoot({ url: databaseUrl, poolSize: 3, migrate: false }),
          QueueModule.forRoot({ redisUrl: testRedisUrl(), prefix }),
          SendsModule.forRoot({ defaultChatConfiguration: { name: 'retention-test', robotCode: 'retention-robot' } }),
          // A chunk smaller than a send's recipients, so the purge of one send takes several statements.
          RetentionModule.forRoot({ recipientRetentionDays: RETENTION_DAYS, intervalMs: 3_600_000, chunkRows: 7 }),
        ],
      },
      { logger: ['error'] },
    );
    db = await openTestDataSource(databaseUrl);
  });

  afterAll(async () => {
    await context?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  /** A finished send of `users` recipients (cancelled before any worker took it), created `daysAgo` days back. */
  async function finishedSend(users: number, daysAgo: number): Promise<string> {
    const userIds = Array.from({ length: users }, (_, i) => `ret-${prefix.slice(-8)}-${daysAgo}-${i}`);
    const send = await context.get(CreateSendUseCase).execute({ userIds, msgKey: 'sampleText', msgParam: { content: 'r' }, actor });
    await context.get(CancelSendUseCase).execute(send.id, actor);
    await db.query(`UPDATE sends SET created_at = now() - $2 * interval '1 day' WHERE id = $1`, [send.id, daysAgo]);
    return send.id;
  }

  it('purges recipients, user lists and user ids of old finished sends; keeps counts, timeline, recent sends and the audit log', async () => {
    const old = await finishedSend(45, RETENTION_DAYS + 5);
    const recent = await finishedSend(3, RETENTION_DAYS - 5);
    const unfinished = (
      await context.get(CreateSendUseCase).execute({ userIds: ['ret-unfinished'], msgKey: 'sampleText', msgParam: { content: 'u' }, actor })
    ).id;
    await db.query(`UPDATE sends SET created_at = now() - interval '90 days' WHERE id = $1`, [unfinished]);
    // A timeline entry carrying user ids, as read tracking may write: retention strips exactly those keys.
    await db.transaction((tx) =>
      context.get(SendEventLog).append(tx, [{ sendId: old, type: 'test.read', details: { userIds: ['u1', 'u2'], reads: 2 } }]),
    );
    const auditBefore: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [old]);
    const eventsBefore: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM send_events WHERE send_id = $1`, [old]);
    const startedAt = new Date();

    const result = await context.get(PurgeRecipientDetailUseCase).execute();

    expect(result.sends).toBeGreaterThanOrEqual(1);
    expect(result.recipients).toBeGreaterThanOrEqual(45);
    expect(result.batches).toBeGreaterThanOrEqual(3);
    expect(result.sendEvents).toBeGreaterThanOrEqual(1);
    expect(Math.abs(result.cutoff.getTime() - (startedAt.getTime() - RETENTION_DAYS * DAY_MS))).toBeLessThan(60_000);

    // The old send: detail gone, counts kept and served.
    expect(await db.query(`SELECT 1 FROM recipients WHERE send_id = $1`, [old])).toEqual([]);
    const batches: { user_ids: string[]; status: string }[] = await db.query(`SELECT user_ids, status FROM batches WHERE send_id = $1`, [old]);
    expect(batches).toHaveLength(3);
    expect(batches.every((b) => b.user_ids.length === 0 && b.status === 'cancelled')).toBe(true);
    const [row] = await db.query(`SELECT recipient_summary, recipients_purged_at FROM sends WHERE id = $1`, [old]);
    expect(row.recipient_summary).toEqual({ cancelled: 45 });
    expect(row.recipients_purged_at).not.toBeNull();
    const status = await context.get(GetSendStatusUseCase).execute(old);
    expect(status).toMatchObject({ status: 'cancelled', recipients: { total: 45, cancelled: 45, pending: 0 } });
    expect(status.recipientsPurgedAt).toEqual(row.recipients_purged_at);
    await expect(context.get(ListRecipientsUseCase).execute({ sendId: old, maxResults: 10 })).rejects.toMatchObject({
      code: 'GONE',
      message: expect.stringContaining('purged'),
    });
    // The timeline stays, minus user ids.
    expect(await db.query(`SELECT count(*)::int AS n FROM send_events WHERE send_id = $1`, [old])).toEqual(eventsBefore);
    const [readEvent] = await db.query(`SELECT details FROM send_events WHERE send_id = $1 AND type = 'test.read'`, [old]);
    expect(readEvent.details).toEqual({ reads: 2 });
    // Audit events are never purged.
    expect(await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [old])).toEqual(auditBefore);

    // Within the period, or not finished: untouched.
    expect(await db.query(`SELECT count(*)::int AS n FROM recipients WHERE send_id = $1`, [recent])).toEqual([{ n: 3 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM recipients WHERE send_id = $1`, [unfinished])).toEqual([{ n: 1 }]);
    expect((await context.get(GetSendStatusUseCase).execute(recent)).recipientsPurgedAt).toBeNull();
    expect((await context.get(ListRecipientsUseCase).execute({ sendId: recent, maxResults: 10 })).items).toHaveLength(3);

    // The run itself is audited, by the system, with its counts.
    const [audit] = await db.query(
      `SELECT * FROM audit_events WHERE action = 'retention.purge' AND occurred_at >= $1 ORDER BY id DESC LIMIT 1`,
      [startedAt],
    );
    expect(audit).toMatchObject({
      actor_key_id: null,
      actor_name: 'system:retention',
      target_type: 'recipients',
      outcome: 'succeeded',
      details: {
        retentionDays: RETENTION_DAYS,
        cutoff: result.cutoff.toISOString(),
        sends: result.sends,
        recipients: result.recipients,
        batches: result.batches,
        sendEvents: result.sendEvents,
      },
    });

    // A second run finds nothing left of that send, and is audited too.
    const again = await context.get(PurgeRecipientDetailUseCase).execute();
    expect(again.recipients).toBe(0);
    const [{ n: runs }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'retention.purge' AND occurred_at >= $1`,
      [startedAt],
    );
    expect(runs).toBe(2);
  });

  it('finishes a send an interrupted run left half-purged, keeping the counts taken before the interruption', async () => {
    const send = await finishedSend(10, RETENTION_DAYS + 1);
    // As a run that died after freezing the counts and deleting some rows would leave it.
    await db.query(`UPDATE sends SET recipient_summary = '{"cancelled": 10}' WHERE id = $1`, [send]);
    await db.query(`DELETE FROM recipients WHERE id IN (SELECT id FROM recipients WHERE send_id = $1 LIMIT 4)`, [send]);

    await context.get(PurgeRecipientDetailUseCase).execute();

    const [row] = await db.query(`SELECT recipient_summary, recipients_purged_at FROM sends WHERE id = $1`, [send]);
    expect(row.recipient_summary).toEqual({ cancelled: 10 });
    expect(row.recipients_purged_at).not.toBeNull();
    expect(await db.query(`SELECT 1 FROM recipients WHERE send_id = $1`, [send])).toEqual([]);
  });

  it('schedules itself as one repeatable job on its own queue, at the configured interval', async () => {
    const queue = context.get<Queue>(getQueueToken(QueueName.RecipientRetention));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((j) => Number(j.every))).toEqual([3_600_000]);
  });
});
