import { Injectable } from '@nestjs/common';
import { type DeliveryPolicy, type MsgKey, RECIPIENT_STATUSES, type RecipientStatus, SendStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors/domain.error.js';
import { OPEN_BATCH_STATUSES } from '../persistence/entities/batch.entity.js';
import { SendEntity } from '../persistence/entities/send.entity.js';

export interface SendStatusView {
  id: string;
  status: SendStatus;
  chatConfiguration: string;
  robotCode: string;
  msgKey: MsgKey;
  deliveryPolicy: DeliveryPolicy;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
  recipients: Record<RecipientStatus, number> & { total: number };
  batches: { total: number; remaining: number; attempted: number };
}

/** A send's progress: recipients per status and batches still open, counted from the rows themselves. */
@Injectable()
export class GetSendStatusUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(sendId: string): Promise<SendStatusView> {
    const send = await this.dataSource.getRepository(SendEntity).findOneBy({ id: sendId });
    if (!send) throw new NotFoundError('Send', sendId);

    const [statusRows, batchRows] = await Promise.all([
      this.dataSource.query(
        `SELECT status, count(*)::int AS n FROM recipients WHERE send_id = $1 GROUP BY status`,
        [sendId],
      ) as Promise<{ status: RecipientStatus; n: number }[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE status = ANY($2))::int AS remaining,
                count(*) FILTER (WHERE attempts > 0)::int AS attempted
           FROM batches WHERE send_id = $1`,
        [sendId, OPEN_BATCH_STATUSES],
      ) as Promise<{ total: number; remaining: number; attempted: number }[]>,
    ]);

    const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<RecipientStatus, number>;
    for (const row of statusRows) counts[row.status] = row.n;
    const total = statusRows.reduce((sum, row) => sum + row.n, 0);
    const batches = batchRows[0] ?? { total: 0, remaining: 0, attempted: 0 };

    return {
      id: send.id,
      status: deriveStatus(counts.pending, batches.attempted, send.cancelledAt !== null),
      chatConfiguration: send.chatConfiguration,
      robotCode: send.robotCode,
      msgKey: send.msgKey,
      deliveryPolicy: send.deliveryPolicy,
      createdAt: send.createdAt,
      updatedAt: send.updatedAt,
      completedAt: send.completedAt,
      cancelledAt: send.cancelledAt,
      recipients: { ...counts, total },
      batches,
    };
  }
}

function deriveStatus(pending: number, attemptedBatches: number, cancelled: boolean): SendStatus {
  if (pending === 0) return cancelled ? SendStatus.Cancelled : SendStatus.Completed;
  return attemptedBatches > 0 ? SendStatus.Delivering : SendStatus.Accepted;
}
