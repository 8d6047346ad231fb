import { RecipientStatus } from '@dingrelay/contracts';
import { DINGTALK_LIMITS } from '@dingrelay/dingtalk-client';
import type { EntityManager } from 'typeorm';
import { BatchStatus } from '../persistence/entities/batch.entity.js';

/** A flow-controlled user to re-send, and how long it must wait first: from `minMs` to `maxMs` from now. */
export interface FlowControlledUser {
  userId: string;
  minMs: number;
  maxMs: number;
}

/** Where some of the users went: a re-send batch due in `delayMs`, new (to enqueue) or joined (already queued). */
export interface ResendPlacement {
  batchId: string;
  userIds: string[];
  delayMs: number;
  created: boolean;
}

/**
 * Puts flow-controlled users of one send into re-send batches. Every batchSend call counts against the app's monthly
 * quota whatever its size, so users due back at about the same time share a call: a user joins a re-send batch of
 * the same send that has not been called yet, has room (20 users a call) and is due inside the user's own wait
 * window; users who find none start new batches due at the far end of their window, so later users of the send can
 * join them for as long as possible. The window is the back-off with the jitter it always had (1× to 1.5×).
 *
 * Runs inside the settlement that moves the users, which holds their recipient rows. It first takes the send's row
 * (the lock a settlement takes late, see BatchSettlements): settlements of one send that meet flow control
 * at the same moment place their users one after the other, each seeing the batches the one before it created —
 * without it, each would start a batch of its own. A joinable batch is then locked with SKIP LOCKED: one a worker is
 * claiming is passed over, never waited for; the claim that follows this commit reads the batch's pending
 * recipients, the joined users included.
 */
export async function placeFlowControlledUsers(
  tx: EntityManager,
  placement: { sendId: string; fromBatchId: string; users: readonly FlowControlledUser[] },
): Promise<ResendPlacement[]> {
  if (placement.users.length === 0) return [];
  await tx.query(`SELECT 1 FROM sends WHERE id = $1 FOR NO KEY UPDATE`, [placement.sendId]);
  const placed: ResendPlacement[] = [];
  const homeless: FlowControlledUser[] = [];
  for (const group of byWindow(placement.users)) {
    let waiting = group;
    while (waiting.length > 0) {
      const batch = await lockJoinableBatch(tx, placement.sendId, waiting[0]!);
      if (!batch) break;
      const joining = waiting.slice(0, DINGTALK_LIMITS.batchSendMaxUserIds - batch.size).map((u) => u.userId);
      await tx.query(`UPDATE batches SET user_ids = user_ids || $2::text[], updated_at = now() WHERE id = $1`, [batch.id, joining]);
      placed.push({ batchId: batch.id, userIds: joining, delayMs: Math.max(0, batch.dueInMs), created: false });
      waiting = waiting.slice(joining.length);
    }
    homeless.push(...waiting);
  }
  placed.push(...(await createResendBatches(tx, placement.sendId, placement.fromBatchId, homeless)));
  await moveRecipients(tx, placement.fromBatchId, placed);
  return placed;
}

/** Users sharing one wait window, in the order given (so a send's users keep their relative order). */
function byWindow(users: readonly FlowControlledUser[]): FlowControlledUser[][] {
  const groups = new Map<string, FlowControlledUser[]>();
  for (const user of users) {
    const key = `${user.minMs}-${user.maxMs}`;
    groups.set(key, [...(groups.get(key) ?? []), user]);
  }
  return [...groups.values()];
}

async function lockJoinableBatch(
  tx: EntityManager,
  sendId: string,
  window: { minMs: number; maxMs: number },
): Promise<{ id: string; size: number; dueInMs: number } | undefined> {
  // Never called (attempts = 0): a batch's user_ids are the record of its calls, and a joined user was in none.
  const [row]: { id: string; size: number; due_in_ms: number }[] = await tx.query(
    `SELECT id, cardinality(user_ids) AS size, ceil(EXTRACT(EPOCH FROM (not_before - now())) * 1000)::int AS due_in_ms
       FROM batches
      WHERE send_id = $1 AND status = $2 AND parent_batch_id IS NOT NULL AND attempts = 0
        AND cardinality(user_ids) < $3
        AND not_before BETWEEN now() + $4 * interval '1 millisecond' AND now() + $5 * interval '1 millisecond'
      ORDER BY not_before
      LIMIT 1
      FOR UPDATE SKIP LOCKED`,
    [sendId, BatchStatus.Pending, DINGTALK_LIMITS.batchSendMaxUserIds, window.minMs, window.maxMs],
  );
  return row && { id: row.id, size: row.size, dueInMs: row.due_in_ms };
}

/** New re-send batches for users no batch had room for: 20 a batch, each due at the far end of its users' window. */
async function createResendBatches(
  tx: EntityManager,
  sendId: string,
  fromBatchId: string,
  users: readonly FlowControlledUser[],
): Promise<ResendPlacement[]> {
  const chunks: { userIds: string[]; delayMs: number }[] = [];
  for (const group of byWindow(users)) {
    for (let i = 0; i < group.length; i += DINGTALK_LIMITS.batchSendMaxUserIds) {
      const chunk = group.slice(i, i + DINGTALK_LIMITS.batchSendMaxUserIds);
      chunks.push({ userIds: chunk.map((u) => u.userId), delayMs: chunk[0]!.maxMs });
    }
  }
  if (chunks.length === 0) return [];
  // UPDATE … RETURNING comes back from TypeORM as [rows, rowCount].
  const [[{ first_seq: firstSeq }]]: [{ first_seq: number }[], number] = await tx.query(
    `UPDATE sends SET batch_count = batch_count + $2 WHERE id = $1 RETURNING batch_count - $2 AS first_seq`,
    [sendId, chunks.length],
  );
  const rows = chunks.flatMap((chunk, index) => chunk.userIds.map((userId) => ({ userId, index, delayMs: chunk.delayMs })));
  const created: { id: string; chunk: number }[] = await tx.query(
    `INSERT INTO batches (id, send_id, seq, status, user_ids, parent_batch_id, not_before)
     SELECT gen_random_uuid(), $1, $2 + u.chunk, $3, array_agg(u.user_id ORDER BY u.ord), $4,
            now() + max(u.delay_ms) * interval '1 millisecond'
       FROM unnest($5::text[], $6::int[], $7::int[]) WITH ORDINALITY AS u(user_id, chunk, delay_ms, ord)
      GROUP BY u.chunk
     RETURNING id, seq - $2 AS chunk`,
    [sendId, firstSeq, BatchStatus.Pending, fromBatchId, rows.map((r) => r.userId), rows.map((r) => r.index), rows.map((r) => r.delayMs)],
  );
  return created.map((row) => {
    const chunk = chunks[row.chunk]!;
    return { batchId: row.id, userIds: chunk.userIds, delayMs: chunk.delayMs, created: true };
  });
}

async function moveRecipients(tx: EntityManager, fromBatchId: string, placed: readonly ResendPlacement[]): Promise<void> {
  const moves = placed.flatMap((p) => p.userIds.map((userId) => ({ userId, batchId: p.batchId })));
  if (moves.length === 0) return;
  await tx.query(
    `UPDATE recipients r SET batch_id = m.batch_id, attempts = r.attempts + 1, updated_at = now(),
                             reason_code = 'flowControlled', reason_message = 'DingTalk flow-controlled this user; re-sending'
       FROM unnest($2::uuid[], $3::text[]) AS m(batch_id, user_id)
      WHERE r.batch_id = $1 AND r.user_id = m.user_id AND r.status = $4`,
    [fromBatchId, moves.map((m) => m.batchId), moves.map((m) => m.userId), RecipientStatus.Pending],
  );
}
