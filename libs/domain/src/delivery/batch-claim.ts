import { Injectable } from '@nestjs/common';
import { DeliveryPolicy } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { BatchEntity, BatchStatus } from '../persistence/entities/batch.entity.js';
import { SendEntity } from '../persistence/entities/send.entity.js';
import { SendEventLog } from '../send-events/send-event-log.js';
import { ambiguousOutcome, type BatchRef } from './batch-events.js';
import { countCallOnPending, markInFlight, pendingUserIds } from './batch-rows.js';

/** A batch this worker holds in flight: what it will call DingTalk with, and how it found the batch. */
export interface Claim {
  batch: BatchEntity;
  send: SendEntity;
  /** `in_flight` means an earlier attempt died mid-call: its outcome is unknown. */
  previousStatus: BatchStatus;
  userIds: string[];
}

export function refOf(claim: Claim): BatchRef {
  return { sendId: claim.send.id, batchId: claim.batch.id, attempt: claim.batch.attempts };
}

/**
 * Takes an open batch for one attempt: marks it in flight and counts the call about to be made, in a transaction of
 * its own that commits before the call, so a crash mid-call is seen by the next claim as a call whose answer was lost.
 */
@Injectable()
export class BatchClaims {
  constructor(
    private readonly dataSource: DataSource,
    private readonly timeline: SendEventLog,
  ) {}

  /** Null when the batch is no longer open (settled by another attempt, or cancelled). */
  async claim(batchId: string): Promise<Claim | null> {
    return this.dataSource.transaction(async (tx) => {
      const batch = await tx.getRepository(BatchEntity).findOne({ where: { id: batchId }, lock: { mode: 'pessimistic_write' } });
      if (!batch || (batch.status !== BatchStatus.Pending && batch.status !== BatchStatus.InFlight)) return null;
      const send = await tx.getRepository(SendEntity).findOneByOrFail({ id: batch.sendId });
      const userIds = await pendingUserIds(tx, batch.id);
      const previousStatus = batch.status;
      // Found in flight: the claim before this one made a call and never recorded its outcome. That call is counted
      // here as ambiguous, and on its recipients, which only a settlement would otherwise have done.
      const lostCall = previousStatus === BatchStatus.InFlight;
      // `attempts` counts calls made: none when nobody is left or the policy forbids calling again.
      const willCall =
        userIds.length > 0 && !send.cancelledAt && !(lostCall && send.deliveryPolicy === DeliveryPolicy.AtMostOnce);
      const callsMade = willCall ? 1 : 0;
      const lostCalls = lostCall ? 1 : 0;
      await markInFlight(tx, { batchId: batch.id, callsMade, lostCalls });
      if (lostCall) {
        await countCallOnPending(tx, { batchId: batch.id, lost: true });
        const lost = { sendId: send.id, batchId: batch.id, attempt: batch.attempts };
        await this.timeline.append(tx, [ambiguousOutcome(lost, 'an earlier attempt ended mid-call (worker crash or lost job)')]);
      }
      batch.attempts += callsMade;
      batch.ambiguousAttempts += lostCalls;
      return { batch, send, previousStatus, userIds };
    });
  }
}
