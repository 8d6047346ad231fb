import { Inject, Injectable } from '@nestjs/common';
import { type DeliveryPolicy, type MsgKey, type MsgParam, RECIPIENT_STATUSES, type RecipientStatus, SendStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors/domain.error.js';
import { loadReadRecallSummary, type ReadSummaryView, type RecallSummaryView } from '../read-status/read-recall-summary.js';
import { OPEN_BATCH_STATUSES } from '../persistence/entities/batch.entity.js';
import { SendEntity } from '../persistence/entities/send.entity.js';
import { configurationLimits } from '../chat-configurations/configuration-limits.js';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';

export interface SendStatusView {
  id: string;
  status: SendStatus;
  chatConfiguration: string;
  /** The id of the configuration the send went through; null for one no configuration row had (see SendEntity). */
  chatConfigurationId: string | null;
  /** That configuration was deleted since (another may have its name now): see sentThroughCurrentConfiguration. */
  chatConfigurationDeleted: boolean;
  robotCode: string;
  msgKey: MsgKey;
  /** The message as the sender posted it. */
  msgParam: MsgParam;
  idempotencyKey: string | null;
  deliveryPolicy: DeliveryPolicy;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
  /** The API key that asked for the send; null for sends made before keys existed. */
  requestedBy: { apiKeyId: string | null; name: string } | null;
  /** When retention purged the recipient-level detail; `recipients` then comes from the counts kept on the send. */
  recipientsPurgedAt: Date | null;
  recipients: Record<RecipientStatus, number> & { total: number };
  batches: { total: number; remaining: number; attempted: number };
  progress: {
    /** Open batches of this configuration queued up to and including this send's: what the pace must get through. */
    batchesAhead: number;
    /** From the app's pace (and any pause); null once nothing is pending. */
    estimatedCompletionAt: Date | null;
    /** Lost-answer calls so far: under at-least-once their users may have received the message twice. */
    ambiguousCalls: number;
    paused: { reason: string; code: string; until: Date } | null;
  };
  read: ReadSummaryView;
  recall: RecallSummaryView | null;
}

/** A send's progress: recipients per status and batches still open, counted from the rows themselves. */
@Injectable()
export class GetSendStatusUseCase {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async execute(sendId: string): Promise<SendStatusView> {
    const send = await this.dataSource.getRepository(SendEntity).findOneBy({ id: sendId });
    if (!send) throw new NotFoundError('Send', sendId);

    const [statusRows, batchRows, aheadRows, pauseRows, limitsByName, [configuration], [lastEvent]] = await Promise.all([
      // A completed send keeps its counts (below): its recipients, up to 100,000, need not be counted again.
      send.recipientSummary
        ? []
        : (this.dataSource.query(
            `SELECT status, count(*)::int AS n FROM recipients WHERE send_id = $1 GROUP BY status`,
            [sendId],
          ) as Promise<{ status: RecipientStatus; n: number }[]>),
      this.dataSource.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE status = ANY($2))::int AS remaining,
                count(*) FILTER (WHERE attempts > 0)::int AS attempted,
                coalesce(sum(ambiguous_attempts), 0)::int AS ambiguous
           FROM batches WHERE send_id = $1`,
        [sendId, OPEN_BATCH_STATUSES],
      ) as Promise<{ total: number; remaining: number; attempted: number; ambiguous: number }[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS n FROM batches b JOIN sends s ON s.id = b.send_id
          WHERE b.status = ANY($3) AND s.chat_configuration = $1 AND s.completed_at IS NULL
            -- Compared in SQL: a JS Date would drop the microseconds and leave this send itself out.
            AND s.created_at <= (SELECT created_at FROM sends WHERE id = $2)`,
        [send.chatConfiguration, send.id, OPEN_BATCH_STATUSES],
      ) as Promise<{ n: number }[]>,
      this.dataSource.query(
        `SELECT reason, code, paused_until FROM delivery_pauses WHERE chat_configuration = $1 AND paused_until > now()`,
        [send.chatConfiguration],
      ) as Promise<{ reason: string; code: string; paused_until: Date }[]>,
      // Estimated at the configuration's own pace.
      configurationLimits(this.dataSource, [send.chatConfiguration], this.limits),
      this.dataSource.query(`SELECT NOT (${sentThroughCurrentConfiguration('s')}) AS deleted FROM sends s WHERE s.id = $1`, [sendId]) as Promise<
        { deleted: boolean }[]
      >,
      // Most settlements append to the timeline without writing the send's row: its latest entry says when it changed.
      this.dataSource.query(`SELECT occurred_at FROM send_events WHERE send_id = $1 ORDER BY id DESC LIMIT 1`, [sendId]) as Promise<
        { occurred_at: Date }[]
      >,
    ]);

    const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<RecipientStatus, number>;
    // Completed (and perhaps purged by retention since): the counts kept on the send; unfinished: counted from the rows.
    const counted = send.recipientSummary
      ? Object.entries(send.recipientSummary).map(([status, n]) => ({ status: status as RecipientStatus, n }))
      : statusRows;
    for (const row of counted) counts[row.status] = row.n;
    const total = counted.reduce((sum, row) => sum + row.n, 0);
    const { ambiguous, ...batches } = batchRows[0] ?? { total: 0, remaining: 0, attempted: 0, ambiguous: 0 };
    // Earlier sends' backlog only matters while this send still has batches waiting behind it.
    const batchesAhead = batches.remaining === 0 ? 0 : (aheadRows[0]?.n ?? 0);
    const pause = pauseRows[0];
    const startAt = Math.max(Date.now(), pause ? pause.paused_until.getTime() : 0);
    const estimatedCompletionAt =
      counts.pending === 0 ? null : new Date(startAt + Math.ceil((batchesAhead / pacedCallsPerSecond(limitsByName.get(send.chatConfiguration) ?? this.limits)) * 1000));

    return {
      id: send.id,
      status: deriveStatus(counts.pending, batches.attempted, send.cancelledAt !== null),
      chatConfiguration: send.chatConfiguration,
      chatConfigurationId: send.chatConfigurationId,
      chatConfigurationDeleted: configuration?.deleted ?? false,
      robotCode: send.robotCode,
      msgKey: send.msgKey,
      msgParam: send.msgParam,
      idempotencyKey: send.idempotencyKey,
      deliveryPolicy: send.deliveryPolicy,
      createdAt: send.createdAt,
      updatedAt: lastEvent && lastEvent.occurred_at > send.updatedAt ? lastEvent.occurred_at : send.updatedAt,
      completedAt: send.completedAt,
      cancelledAt: send.cancelledAt,
      requestedBy: send.requestedBy === null ? null : { apiKeyId: send.requestedByKeyId, name: send.requestedBy },
      recipientsPurgedAt: send.recipientsPurgedAt,
      recipients: { ...counts, total },
      batches,
      progress: {
        batchesAhead,
        estimatedCompletionAt,
        ambiguousCalls: ambiguous,
        paused: pause ? { reason: pause.reason, code: pause.code, until: pause.paused_until } : null,
      },
      ...(await loadReadRecallSummary(this.dataSource, send)),
    };
  }
}

function deriveStatus(pending: number, attemptedBatches: number, cancelled: boolean): SendStatus {
  if (pending === 0) return cancelled ? SendStatus.Cancelled : SendStatus.Completed;
  return attemptedBatches > 0 ? SendStatus.Delivering : SendStatus.Accepted;
}
