import { RecipientStatus } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';
import { BatchStatus } from '../persistence/entities/batch.entity.js';

/**
 * The SQL a delivery runs on a batch and its recipients: the one home of the statements the claim and the
 * settlements use, so those read as the story of a delivery. Every function runs on the caller's transaction.
 */

/** Why recipients ended as they did: a code (DingTalk's or ours) and a message. */
export interface RecipientReasonText {
  code: string;
  message: string;
}

export type StatusCounts = Partial<Record<RecipientStatus, number>>;

/** What decides whether a batch may call DingTalk now, read without a lock (see DeliverBatchUseCase.gate). */
export interface DeliveryGateRow {
  status: BatchStatus;
  chat_configuration: string;
  chat_configuration_id: string | null;
  cancelled: boolean;
  paused_ms: number | null;
  reason: string | null;
}

export async function readDeliveryGate(db: EntityManager, batchId: string): Promise<DeliveryGateRow | undefined> {
  const [row]: DeliveryGateRow[] = await db.query(
    `SELECT b.status, s.chat_configuration, s.chat_configuration_id, s.cancelled_at IS NOT NULL AS cancelled, p.reason,
            ceil(EXTRACT(EPOCH FROM (p.paused_until - now())) * 1000)::int AS paused_ms
       FROM batches b
       JOIN sends s ON s.id = b.send_id
       LEFT JOIN delivery_pauses p ON p.chat_configuration = s.chat_configuration AND p.paused_until > now()
      WHERE b.id = $1`,
    [batchId],
  );
  return row;
}

/** The users of a batch still waiting for a call, in the order they were given. */
export async function pendingUserIds(tx: EntityManager, batchId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await tx.query(
    `SELECT user_id FROM recipients WHERE batch_id = $1 AND status = $2 ORDER BY id`,
    [batchId, RecipientStatus.Pending],
  );
  return rows.map((r) => r.user_id);
}

/** Marks a claimed batch in flight, counting the call about to be made and a lost one found by the claim. */
export async function markInFlight(tx: EntityManager, batch: { batchId: string; callsMade: number; lostCalls: number }): Promise<void> {
  await tx.query(
    `UPDATE batches SET status = $2, attempts = attempts + $3, ambiguous_attempts = ambiguous_attempts + $4,
                        updated_at = now()
      WHERE id = $1`,
    [batch.batchId, BatchStatus.InFlight, batch.callsMade, batch.lostCalls],
  );
}

/** Whether the send was cancelled, read without its row lock (a settlement takes that last). */
export async function isSendCancelled(tx: EntityManager, sendId: string): Promise<boolean> {
  const [row]: { cancelled: boolean }[] = await tx.query(`SELECT cancelled_at IS NOT NULL AS cancelled FROM sends WHERE id = $1`, [sendId]);
  return row?.cancelled ?? false;
}

/**
 * Share-locks, until commit, another batch of the send that is still waiting for its call, if one is free to lock.
 * True when one was: the settlement holding it cannot be the send's last, since that batch's claim (FOR UPDATE) waits
 * for this commit and its settlement checks completion after it. SKIP LOCKED: a batch being claimed or filled right
 * now is passed over, never waited for.
 */
export async function holdBatchStillToCall(tx: EntityManager, held: { sendId: string; settlingBatchId: string }): Promise<boolean> {
  const rows: unknown[] = await tx.query(
    `SELECT 1 FROM batches WHERE send_id = $1 AND status = $2 AND id <> $3 LIMIT 1 FOR SHARE SKIP LOCKED`,
    [held.sendId, BatchStatus.Pending, held.settlingBatchId],
  );
  return rows.length > 0;
}

/** Ends the batch's pending recipients among `userIds` with one status; returns how many. */
export async function settleRecipients(
  tx: EntityManager,
  settled: {
    batchId: string;
    userIds: readonly string[];
    status: RecipientStatus;
    reason: RecipientReasonText | null;
    processQueryKey: string | null;
    /** Whether the call being settled is counted on the recipients here (false: it was counted already). */
    countsCall: boolean;
  },
): Promise<number> {
  if (settled.userIds.length === 0) return 0;
  const [, affected]: [unknown, number] = await tx.query(
    `UPDATE recipients
        SET status = $3, reason_code = $4, reason_message = $5, process_query_key = $6, attempts = attempts + $7,
            delivered_at = CASE WHEN $3 = '${RecipientStatus.Delivered}' THEN now() ELSE NULL END, updated_at = now()
      WHERE batch_id = $1 AND user_id = ANY($2) AND status = '${RecipientStatus.Pending}'`,
    [
      settled.batchId,
      settled.userIds,
      settled.status,
      settled.reason?.code ?? null,
      settled.reason ? truncate(settled.reason.message) : null,
      settled.processQueryKey,
      settled.countsCall ? 1 : 0,
    ],
  );
  return affected;
}

/**
 * Ends recipients dingrelay stops trying for. A user any of whose calls lost its answer may have the message, so they
 * end `unknown`, never `failed`: a caller re-sending to "failed" users must not double-deliver (invariant 2).
 */
export async function giveUpRecipients(
  tx: EntityManager,
  given: {
    batchId: string;
    userIds: readonly string[];
    reason: RecipientReasonText;
    /** The call being settled itself lost its answer. */
    lostNow: boolean;
    countsCall: boolean;
    processQueryKey?: string | null;
  },
): Promise<StatusCounts> {
  if (given.userIds.length === 0) return {};
  const rows: { status: RecipientStatus }[] = (
    await tx.query(
      `UPDATE recipients
          SET lost_calls = lost_calls + $4,
              status = CASE WHEN lost_calls + $4 > 0 THEN '${RecipientStatus.Unknown}' ELSE '${RecipientStatus.Failed}' END,
              reason_code = $3,
              reason_message = CASE WHEN lost_calls + $4 > 0
                THEN left($5 || '; ' || (lost_calls + $4) || ' call(s) naming this user lost their answer, so it may have been delivered', 1000)
                ELSE $5 END,
              attempts = attempts + $6, process_query_key = coalesce($7, process_query_key), updated_at = now()
        WHERE batch_id = $1 AND user_id = ANY($2) AND status = '${RecipientStatus.Pending}'
        RETURNING status`,
      [
        given.batchId,
        given.userIds,
        given.reason.code,
        given.lostNow ? 1 : 0,
        truncate(given.reason.message),
        given.countsCall ? 1 : 0,
        given.processQueryKey ?? null,
      ],
    )
  )[0];
  const counts: StatusCounts = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

/** Counts a call on the batch's pending recipients without settling them: every call that named a user counts. */
export async function countCallOnPending(tx: EntityManager, call: { batchId: string; lost: boolean }): Promise<void> {
  await tx.query(
    `UPDATE recipients SET attempts = attempts + 1, lost_calls = lost_calls + $3, updated_at = now()
      WHERE batch_id = $1 AND status = $2`,
    [call.batchId, RecipientStatus.Pending, call.lost ? 1 : 0],
  );
}

/** Counts one more flow control on each of these pending users; returns each one's count. */
export async function countFlowControl(
  tx: EntityManager,
  batch: { batchId: string; userIds: readonly string[] },
): Promise<{ user_id: string; flow_controlled: number }[]> {
  // UPDATE … RETURNING comes back from TypeORM as [rows, rowCount].
  const [rows]: [{ user_id: string; flow_controlled: number }[], number] = await tx.query(
    `UPDATE recipients SET flow_controlled = flow_controlled + 1
      WHERE batch_id = $1 AND user_id = ANY($2) AND status = $3
      RETURNING user_id, flow_controlled`,
    [batch.batchId, batch.userIds, RecipientStatus.Pending],
  );
  return rows;
}

/** A batch's last state; `error` is kept as its last error, `ambiguousCall` counts a call that lost its answer. */
export async function closeBatch(
  tx: EntityManager,
  closed: { batchId: string; status: BatchStatus; error?: RecipientReasonText; ambiguousCall?: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE batches SET status = $2, last_error_code = COALESCE($3, last_error_code),
                        last_error_message = COALESCE($4, last_error_message),
                        ambiguous_attempts = ambiguous_attempts + $5, updated_at = now()
      WHERE id = $1`,
    [closed.batchId, closed.status, closed.error?.code ?? null, closed.error ? truncate(closed.error.message) : null, closed.ambiguousCall ? 1 : 0],
  );
}

/** DingTalk answered the batch's call: it is sent, with the answer's processQueryKey and request id. */
export async function markBatchSent(
  tx: EntityManager,
  sent: { batchId: string; processQueryKey: string; dingtalkRequestId: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE batches SET status = $2, process_query_key = $3, dingtalk_request_id = $4, sent_at = now(),
                        last_error_code = NULL, last_error_message = NULL, updated_at = now()
      WHERE id = $1`,
    [sent.batchId, BatchStatus.Sent, sent.processQueryKey, sent.dingtalkRequestId],
  );
}

/** The batch's call failed and is tried again after `delayMs`: pending, with the error and what kind of call it was. */
export async function returnBatchForRetry(
  tx: EntityManager,
  retry: { batchId: string; error: RecipientReasonText; delayMs: number; ambiguousCall: boolean; throttledCall: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE batches SET status = $2, last_error_code = $3, last_error_message = $4,
                        not_before = now() + $5 * interval '1 millisecond',
                        ambiguous_attempts = ambiguous_attempts + $6, throttled_attempts = throttled_attempts + $7,
                        updated_at = now()
      WHERE id = $1`,
    [
      retry.batchId,
      BatchStatus.Pending,
      retry.error.code,
      truncate(retry.error.message),
      retry.delayMs,
      retry.ambiguousCall ? 1 : 0,
      retry.throttledCall ? 1 : 0,
    ],
  );
}

export function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
