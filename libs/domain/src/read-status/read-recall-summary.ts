import { RecipientStatus } from '@dingrelay/contracts';
import type { DataSource } from 'typeorm';

export interface ReadSummaryView {
  read: number;
  unread: number;
  notChecked: number;
  batchesPolling: number;
  lastCheckedAt: Date | null;
}

export interface RecallSummaryView {
  requestedAt: Date;
  completedAt: Date | null;
  recalled: number;
  failed: number;
  failedByReason: Record<string, number>;
  pending: number;
}

/** A send's read counts and recall progress, counted from its delivered recipients and batches. */
export async function loadReadRecallSummary(
  db: DataSource,
  send: { id: string; recallRequestedAt: Date | null; recallCompletedAt: Date | null },
): Promise<{ read: ReadSummaryView; recall: RecallSummaryView | null }> {
  const [[recipients], [batches], reasons] = await Promise.all([
    db.query(
      `SELECT count(*) FILTER (WHERE read_status = 'read')::int AS read,
              count(*) FILTER (WHERE read_status = 'unread')::int AS unread,
              count(*) FILTER (WHERE read_status IS NULL)::int AS not_checked,
              count(*) FILTER (WHERE recall_status = 'recalled')::int AS recalled,
              count(*) FILTER (WHERE recall_status = 'failed')::int AS failed,
              count(*) FILTER (WHERE recall_status IS NULL)::int AS recall_pending
         FROM recipients WHERE send_id = $1 AND status = $2`,
      [send.id, RecipientStatus.Delivered],
    ) as Promise<{ read: number; unread: number; not_checked: number; recalled: number; failed: number; recall_pending: number }[]>,
    db.query(
      `SELECT count(*) FILTER (WHERE read_next_poll_at IS NOT NULL)::int AS polling, max(read_checked_at) AS last_checked
         FROM batches WHERE send_id = $1`,
      [send.id],
    ) as Promise<{ polling: number; last_checked: Date | null }[]>,
    send.recallRequestedAt
      ? (db.query(
          `SELECT recall_reason AS reason, count(*)::int AS n FROM recipients
            WHERE send_id = $1 AND status = $2 AND recall_status = 'failed' GROUP BY recall_reason`,
          [send.id, RecipientStatus.Delivered],
        ) as Promise<{ reason: string | null; n: number }[]>)
      : Promise.resolve([]),
  ]);
  const r = recipients ?? { read: 0, unread: 0, not_checked: 0, recalled: 0, failed: 0, recall_pending: 0 };
  return {
    read: {
      read: r.read,
      unread: r.unread,
      notChecked: r.not_checked,
      batchesPolling: batches?.polling ?? 0,
      lastCheckedAt: batches?.last_checked ?? null,
    },
    recall: send.recallRequestedAt
      ? {
          requestedAt: send.recallRequestedAt,
          completedAt: send.recallCompletedAt,
          recalled: r.recalled,
          failed: r.failed,
          failedByReason: Object.fromEntries(reasons.map((x) => [x.reason ?? 'unknown', x.n])),
          pending: send.recallCompletedAt ? 0 : r.recall_pending,
        }
      : null,
  };
}
