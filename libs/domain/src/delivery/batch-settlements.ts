import { Inject, Injectable, Logger } from '@nestjs/common';
import { RecipientReason, RecipientStatus } from '@dingrelay/contracts';
import type { BatchSendOTOResult, DingTalkError } from '@dingrelay/dingtalk-client';
import { DataSource, type EntityManager } from 'typeorm';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { retryingTransaction } from '../persistence/retrying-transaction.js';
import { DeliverBatchProducer } from '../queue/deliver-batch.producer.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from '../read-status/read-tracking.settings.js';
import { startReadTracking } from '../read-status/start-read-tracking.js';
import { type SendEventInput, SendEventLog } from '../send-events/send-event-log.js';
import { completeSendIfSettled } from '../sends/complete-send-if-settled.js';
import type { DingTalkLimits } from '../usage/dingtalk-limits.js';
import { recordUsage, type UsageDelta } from '../usage/usage-meter.js';
import { type Claim, refOf } from './batch-claim.js';
import {
  ambiguousOutcome,
  attemptFailed,
  attemptSent,
  batchCancelled,
  batchFailed,
  flowControlRetries,
  retryScheduled,
} from './batch-events.js';
import {
  closeBatch,
  holdBatchStillToCall,
  countCallOnPending,
  countFlowControl,
  giveUpRecipients,
  isSendCancelled,
  markBatchSent,
  type RecipientReasonText,
  returnBatchForRetry,
  settleRecipients,
  type StatusCounts,
} from './batch-rows.js';
import type { DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';
import { placeFlowControlledUsers, type ResendPlacement } from './flow-control-resends.js';

/** A DingTalk call to meter in the transaction that records its outcome. */
export interface MeteredCall {
  chatConfiguration: string;
  delta: Partial<UsageDelta>;
  limits: DingTalkLimits;
}

/** DingTalk's per-user answer to one call, split by what happens to each user next. */
export interface CallAnswer {
  result: BatchSendOTOResult;
  delivered: string[];
  invalid: string[];
  filtered: string[];
  flowControlled: string[];
}

/**
 * Records what became of a claimed batch, each outcome in one transaction with its timeline entries, its usage and
 * the send's completion check, so a batch's state, its recipients' and the history never disagree.
 *
 * Every settlement takes its row locks in one order — the batch's own rows, then the send's row, then the usage
 * meter's shard row — so settlements wait on each other but never in a cycle: the shard is always the last lock a
 * transaction takes, and one that holds it waits for nothing more before it commits. Taken last, the shard is held for
 * one statement, not the whole settlement.
 * The send's row is taken only by a settlement that may be the send's last: the last one to take it sees every
 * earlier one committed, so exactly one of them stamps `completed_at`, in the same transaction as the last recipient.
 * A settlement that can lock (FOR SHARE) another batch of the send still waiting for its call is not the last, and
 * skips the send's row: that batch's own settlement comes later — its claim waits for this commit — and checks
 * then. (Every settlement of a large send used to write the send's row, and they queued on it: 4.5 sessions waiting
 * on average with one worker, 11.7 with two.)
 */
@Injectable()
export class BatchSettlements {
  private readonly logger = new Logger(BatchSettlements.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: DeliverBatchProducer,
    private readonly timeline: SendEventLog,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    @Inject(READ_TRACKING_SETTINGS) private readonly readTracking: ReadTrackingSettings,
  ) {}

  /**
   * DingTalk answered 200: delivered users get the processQueryKey, invalid and filtered ones end, flow-controlled
   * ones move to re-send batches (or end once their attempts are spent). Returns the counts and the users re-sent.
   */
  async sent(claim: Claim, answer: CallAnswer, metered: MeteredCall): Promise<{ counts: StatusCounts; resent: number }> {
    const pqk = answer.result.processQueryKey;
    const batchId = claim.batch.id;
    const { counts, placements } = await this.inTransaction({ sendId: claim.send.id, settlingBatchId: claim.batch.id }, metered, async (tx, send) => {
      const placements: ResendPlacement[] = [];
      const counts: StatusCounts = {};
      counts.delivered = await settleRecipients(tx, {
        batchId, userIds: answer.delivered, status: RecipientStatus.Delivered, reason: null, processQueryKey: pqk, countsCall: true,
      });
      counts.invalid = await settleRecipients(tx, {
        batchId,
        userIds: answer.invalid,
        status: RecipientStatus.Invalid,
        reason: { code: RecipientReason.InvalidStaffId, message: 'DingTalk listed this userId in invalidStaffIdList' },
        processQueryKey: pqk,
        countsCall: true,
      });
      const filteredOut = await giveUpRecipients(tx, {
        batchId,
        userIds: answer.filtered,
        reason: { code: RecipientReason.Filtered, message: 'DingTalk listed this userId in filteredStaffIdList' },
        lostNow: false,
        countsCall: true,
        processQueryKey: pqk,
      });
      if (send.cancelled) {
        counts.cancelled = await settleRecipients(tx, {
          batchId,
          userIds: answer.flowControlled,
          status: RecipientStatus.Cancelled,
          reason: { code: RecipientReason.Cancelled, message: 'DingTalk flow-controlled this user and the send was cancelled before a re-send' },
          processQueryKey: pqk,
          countsCall: true,
        });
        addCounts(counts, filteredOut);
      } else {
        const { exhausted, placed } = await this.reschedule(tx, claim, answer.flowControlled);
        addCounts(counts, filteredOut, exhausted);
        placements.push(...placed);
      }
      await markBatchSent(tx, { batchId, processQueryKey: pqk, dingtalkRequestId: answer.result.requestId ?? null });
      if (answer.delivered.length > 0) await startReadTracking(tx, batchId, this.readTracking);
      const attempt = {
        delivered: counts.delivered ?? 0,
        invalid: counts.invalid ?? 0,
        filtered: answer.filtered.length,
        flowControlled: answer.flowControlled.length,
      };
      return {
        events: [attemptSent(refOf(claim), answer.result, attempt), ...flowControlRetries(refOf(claim), placements)],
        result: { counts, placements },
      };
    });
    // Joined batches are queued already; only new ones need a job.
    await this.enqueueResends(claim.send.id, placements.filter((p) => p.created).map((p) => ({ id: p.batchId, delayMs: p.delayMs })));
    return { counts, resent: placements.reduce((n, p) => n + p.userIds.length, 0) };
  }

  /**
   * Gives up on the batch's pending recipients. They failed — unless a call of this batch lost its answer (an
   * at-least-once send retried it), in which case DingTalk may have delivered and their outcome is unknown.
   */
  async failed(
    claim: Claim,
    failure: {
      reason: RecipientReasonText;
      /** The call just made failed without a clear answer (counted on the batch). */
      ambiguousCall: boolean;
      /** False when no call was made for this attempt (e.g. its configuration is gone). */
      callMade: boolean;
      metered?: MeteredCall;
      error?: DingTalkError;
    },
  ): Promise<StatusCounts> {
    return this.inTransaction({ sendId: claim.send.id, settlingBatchId: claim.batch.id }, failure.metered, async (tx) => {
      const settled = await giveUpRecipients(tx, {
        batchId: claim.batch.id,
        userIds: claim.userIds,
        reason: failure.reason,
        lostNow: failure.ambiguousCall,
        countsCall: failure.callMade,
      });
      const status = (settled.unknown ?? 0) > 0 ? BatchStatus.Unknown : BatchStatus.Failed;
      await closeBatch(tx, { batchId: claim.batch.id, status, error: failure.reason, ambiguousCall: failure.ambiguousCall });
      const events = [
        ...(failure.error ? [attemptFailed(refOf(claim), failure.error, failure.reason.code)] : []),
        batchFailed(refOf(claim), failure.reason.code, failure.reason.message, settled),
      ];
      return { events, result: settled };
    });
  }

  /** An at-most-once batch whose call's answer was lost: its users end `unknown`, never called again. */
  async ambiguous(
    claim: Claim,
    outcome: {
      why: string;
      /** This attempt's own call ended without an answer (count it); false when a crashed attempt made it. */
      callMade: boolean;
      metered?: MeteredCall;
      error?: DingTalkError;
      errorCode?: string;
    },
  ): Promise<number> {
    const message = `${outcome.why}; not re-sent because the send is at-most-once`;
    return this.inTransaction({ sendId: claim.send.id, settlingBatchId: claim.batch.id }, outcome.metered, async (tx) => {
      const unknown = await settleRecipients(tx, {
        batchId: claim.batch.id,
        userIds: claim.userIds,
        status: RecipientStatus.Unknown,
        reason: { code: RecipientReason.AmbiguousNotResent, message },
        processQueryKey: null,
        countsCall: outcome.callMade,
      });
      await closeBatch(tx, {
        batchId: claim.batch.id,
        status: BatchStatus.Unknown,
        error: { code: RecipientReason.AmbiguousNotResent, message: outcome.why },
        ambiguousCall: outcome.callMade,
      });
      const failed = outcome.error && outcome.errorCode ? [attemptFailed(refOf(claim), outcome.error, outcome.errorCode)] : [];
      return { events: [...failed, ambiguousOutcome(refOf(claim), message)], result: unknown };
    });
  }

  /** The send was cancelled before this batch's call: its pending users end cancelled, nothing is called. */
  async cancelled(claim: Claim): Promise<number> {
    return this.inTransaction({ sendId: claim.send.id, settlingBatchId: claim.batch.id }, undefined, async (tx) => {
      const cancelled = await settleRecipients(tx, {
        batchId: claim.batch.id,
        userIds: claim.userIds,
        status: RecipientStatus.Cancelled,
        reason: { code: RecipientReason.Cancelled, message: 'Cancelled before this batch was sent' },
        processQueryKey: null,
        countsCall: false,
      });
      await closeBatch(tx, { batchId: claim.batch.id, status: BatchStatus.Cancelled });
      return { events: [batchCancelled(refOf(claim), cancelled, 'the send was cancelled before this batch was sent')], result: cancelled };
    });
  }

  /** Nobody in the batch is pending any more (moved on or cancelled): it closes without a call. */
  async empty(claim: Claim): Promise<void> {
    await this.inTransaction({ sendId: claim.send.id, settlingBatchId: claim.batch.id }, undefined, async (tx) => {
      await closeBatch(tx, { batchId: claim.batch.id, status: BatchStatus.Cancelled });
      return { events: [batchCancelled(refOf(claim), 0, 'no pending recipients left in the batch')], result: undefined };
    });
  }

  /** The call failed and will be tried again after `delayMs`: the batch goes back to pending, its users stay. */
  async retryLater(
    claim: Claim,
    retry: { error: DingTalkError; reason: RecipientReasonText; delayMs: number; throttledCall: boolean; metered: MeteredCall },
  ): Promise<void> {
    const { error, reason, delayMs } = retry;
    // Same lock order as a settlement: the batch's rows, then the meter's shard row last.
    await retryingTransaction(
      this.dataSource,
      async (tx) => {
        await returnBatchForRetry(tx, { batchId: claim.batch.id, error: reason, delayMs, ambiguousCall: error.ambiguous, throttledCall: retry.throttledCall });
        // The call included these users even though it failed; the next one will too.
        await countCallOnPending(tx, { batchId: claim.batch.id, lost: error.ambiguous });
        await this.timeline.append(tx, [
          attemptFailed(refOf(claim), error, reason.code),
          ...(error.ambiguous ? [ambiguousOutcome(refOf(claim), `${reason.code}: the answer was lost; re-sent under at-least-once`)] : []),
          retryScheduled(refOf(claim), `${error.retryClass}: ${reason.code}`, delayMs),
        ]);
        await recordUsage(tx, retry.metered.chatConfiguration, retry.metered.delta, retry.metered.limits);
      },
      { logger: this.logger, label: `retry of batch ${claim.batch.id}` },
    );
  }

  /**
   * Moves each flow-controlled user into a re-send batch (shared with other users of the send due about then, see
   * placeFlowControlledUsers) due after a back-off that doubles per attempt, or fails it once its attempts are spent.
   */
  private async reschedule(
    tx: EntityManager,
    claim: Claim,
    userIds: string[],
  ): Promise<{ exhausted: StatusCounts; placed: ResendPlacement[] }> {
    if (userIds.length === 0) return { exhausted: {}, placed: [] };
    const rows = await countFlowControl(tx, { batchId: claim.batch.id, userIds });
    // Only flow control spends this budget: the first send counts as one, lost answers and retries do not.
    const spent = rows.filter((r) => r.flow_controlled >= this.settings.flowControlMaxAttempts).map((r) => r.user_id);
    const retry = rows.filter((r) => r.flow_controlled < this.settings.flowControlMaxAttempts);
    const exhausted = await giveUpRecipients(tx, {
      batchId: claim.batch.id,
      userIds: spent,
      reason: {
        code: RecipientReason.FlowControlExhausted,
        message: `DingTalk flow-controlled this user on ${this.settings.flowControlMaxAttempts} attempts`,
      },
      lostNow: false,
      countsCall: true,
    });
    if (retry.length === 0) return { exhausted, placed: [] };
    const placed = await placeFlowControlledUsers(tx, {
      sendId: claim.send.id,
      fromBatchId: claim.batch.id,
      users: retry.map((r) => ({ userId: r.user_id, ...this.flowControlWindow(r.flow_controlled) })),
    });
    return { exhausted, placed };
  }

  /**
   * How long a user flow-controlled `attempt` times waits before its re-send: a back-off that doubles per attempt,
   * up to half as long again, the slack that lets users of the send due about then share one call.
   */
  private flowControlWindow(attempt: number): { minMs: number; maxMs: number } {
    const base = this.settings.flowControlBaseDelayMs * 2 ** Math.max(0, attempt - 1);
    const minMs = Math.min(base, this.settings.retryMaxDelayMs);
    return { minMs, maxMs: Math.floor(minMs * 1.5) };
  }

  /**
   * Runs one settlement transaction, and runs it again when Postgres aborts it for a deadlock: the DingTalk answer it
   * records exists only in this process, and a lost settlement would turn a known outcome into an ambiguous one.
   * `cancelled` is read without the send's lock: a cancel committed just after it is caught when re-send batches are
   * claimed.
   */
  private async inTransaction<T>(
    { sendId, settlingBatchId }: { sendId: string; settlingBatchId: string },
    /** The call this settlement records, metered in the same transaction. */
    usage: MeteredCall | undefined,
    /** Returns the send's timeline entries for this settlement (written with the send's `updated_at`) and a result. */
    work: (tx: EntityManager, send: { cancelled: boolean }) => Promise<{ events: SendEventInput[]; result: T }>,
  ): Promise<T> {
    return retryingTransaction(
      this.dataSource,
      async (tx) => {
        const cancelled = await isSendCancelled(tx, sendId);
        const { events, result } = await work(tx, { cancelled });
        if (await holdBatchStillToCall(tx, { sendId, settlingBatchId })) {
          await this.timeline.append(tx, events);
        } else {
          await this.timeline.appendWith(tx, events, `UPDATE sends SET updated_at = now() WHERE id = $1`, [sendId]);
          await completeSendIfSettled(tx, sendId);
        }
        if (usage) await recordUsage(tx, usage.chatConfiguration, usage.delta, usage.limits);
        return result;
      },
      { logger: this.logger, label: `settlement of send ${sendId}` },
    );
  }

  private async enqueueResends(sendId: string, resends: { id: string; delayMs: number }[]): Promise<void> {
    if (resends.length === 0) return;
    try {
      await this.producer.enqueue(resends);
    } catch (error) {
      // Committed as pending with not_before; the reconciler enqueues them once Redis is back.
      this.logger.warn(`send ${sendId}: ${resends.length} re-send batches left to the reconciler (${(error as Error).message})`);
    }
  }
}

function addCounts(into: StatusCounts, ...parts: StatusCounts[]): void {
  for (const part of parts) {
    for (const [status, n] of Object.entries(part) as [RecipientStatus, number][]) into[status] = (into[status] ?? 0) + n;
  }
}
