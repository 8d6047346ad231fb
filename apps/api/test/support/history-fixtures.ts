import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface FixtureRecipient {
  userId: string;
  status?: string;
  reasonCode?: string | null;
  reasonMessage?: string | null;
}

export interface FixtureSend {
  chatConfiguration: string;
  /**
   * The id of the configuration it went through. Default: as CreateSendUseCase records it, the id of the configuration
   * that has the name when the fixture is written (null when none has).
   */
  chatConfigurationId?: string | null;
  robotCode?: string;
  msgKey?: string;
  /** ISO instant; now() when omitted. */
  createdAt?: string;
  /** completed | cancelled | delivering | accepted (what the history derives from the rows). */
  state?: 'completed' | 'cancelled' | 'delivering' | 'accepted';
  requestedBy?: string | null;
  idempotencyKey?: string | null;
  recipients?: FixtureRecipient[];
  /** Calls of the send's batch whose answer was lost (`batches.ambiguous_attempts`); 0 when omitted. */
  ambiguousCalls?: number;
  /**
   * Whether a finished send keeps its outcome on its row (`recipient_summary`, `ambiguous_calls`), as completion
   * does since the 1764700000000 migration; false: as a worker of the version before leaves it (both NULL).
   */
  keepsOutcome?: boolean;
}

/**
 * History rows written straight into Postgres, as the delivery pipeline leaves them: a send, one batch and its
 * recipients, and for a finished send the outcome kept on it. History is read-only over these tables, so tests can
 * lay out exact times and states this way.
 */
export async function insertHistorySend(db: DataSource, fixture: FixtureSend): Promise<string> {
  const id = randomUUID();
  const state = fixture.state ?? 'completed';
  const recipients = fixture.recipients ?? [{ userId: `u-${id.slice(0, 8)}` }];
  const terminal = state === 'completed' || state === 'cancelled';
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO sends (id, chat_configuration, chat_configuration_id, robot_code, msg_key, msg_param, delivery_policy,
                          recipient_count, duplicates_removed, batch_count, idempotency_key, requested_by, cancelled_at,
                          completed_at, created_at, updated_at)
       VALUES ($1, $2, CASE WHEN $11 THEN $12::uuid ELSE (SELECT id FROM chat_configurations WHERE name = $2) END,
               $3, $4, '{"content":"x"}', 'at-least-once', $5, 0, 1, $6, $7,
               CASE WHEN $8 THEN coalesce($9::timestamptz, now()) END, CASE WHEN $10 THEN coalesce($9::timestamptz, now()) END,
               coalesce($9::timestamptz, now()), coalesce($9::timestamptz, now()))`,
      [
        id,
        fixture.chatConfiguration,
        fixture.robotCode ?? 'robot-history',
        fixture.msgKey ?? 'sampleText',
        recipients.length,
        fixture.idempotencyKey ?? null,
        fixture.requestedBy ?? null,
        state === 'cancelled',
        fixture.createdAt ?? null,
        terminal,
        fixture.chatConfigurationId !== undefined,
        fixture.chatConfigurationId ?? null,
      ],
    );
    const batchId = randomUUID();
    await tx.query(
      `INSERT INTO batches (id, send_id, seq, status, user_ids, attempts, ambiguous_attempts, created_at, updated_at)
       VALUES ($1, $2, 0, $3, $4, $5, $7, coalesce($6::timestamptz, now()), coalesce($6::timestamptz, now()))`,
      [
        batchId,
        id,
        terminal ? 'sent' : 'pending',
        recipients.map((r) => r.userId),
        state === 'accepted' ? 0 : 1 + (fixture.ambiguousCalls ?? 0),
        fixture.createdAt ?? null,
        fixture.ambiguousCalls ?? 0,
      ],
    );
    for (const r of recipients) {
      await tx.query(
        `INSERT INTO recipients (send_id, user_id, batch_id, status, reason_code, reason_message, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), coalesce($7::timestamptz, now()))`,
        [
          id,
          r.userId,
          batchId,
          r.status ?? (terminal ? 'delivered' : 'pending'),
          r.reasonCode ?? null,
          r.reasonMessage ?? null,
          fixture.createdAt ?? null,
        ],
      );
    }
    if (terminal && fixture.keepsOutcome !== false) {
      // What completeSendIfSettled keeps.
      await tx.query(
        `UPDATE sends SET recipient_summary = (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM recipients WHERE send_id = $1 GROUP BY status) c),
                          ambiguous_calls = (SELECT sum(ambiguous_attempts)::int FROM batches WHERE send_id = $1)
          WHERE id = $1`,
        [id],
      );
    }
  });
  return id;
}

/**
 * The midnight (UTC, ms) of a random day between `fromYear` and the `days` after it around which the shared test
 * database holds no send yet (two days either side): a window of the suite's own, where even unfiltered history
 * and statistics see only what the suite put there.
 */
export async function freeDay(db: DataSource, fromYear: number, days: number): Promise<number> {
  for (;;) {
    const day = Date.UTC(fromYear, 0, 1) + randomInt(days) * 86_400_000;
    const [{ taken }]: { taken: boolean }[] = await db.query(
      `SELECT EXISTS (SELECT 1 FROM sends WHERE created_at >= $1 AND created_at < $2) AS taken`,
      [new Date(day - 2 * 86_400_000), new Date(day + 3 * 86_400_000)],
    );
    if (!taken) return day;
  }
}

/** Moved to the testing kit (the CLI's tests read exports too); re-exported for this suite's specs. */
export { parseCsv } from '@dingrelay/testing';
