import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryPolicy, RecipientReason, RecipientStatus } from '@dingrelay/contracts';
import {
  type BatchSendOTOResult,
  DingTalkApiError,
  DingTalkClient,
  type DingTalkError,
  DingTalkRequestError,
  DingTalkApi,
  DingTalkTransportError,
  isDingTalkError,
  minRetryDelayMs,
  isRetryable,
  RetryClass,
  retryDelayMs,
} from '@dingrelay/dingtalk-client';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
  ChatConfigurationUnreadableError,
} from '../chat-configurations/chat-configuration.js';
import { UnreadableConfigurationNotices } from '../chat-configurations/unreadable-configuration-notices.js';
import { BatchEntity, BatchStatus } from '../persistence/entities/batch.entity.js';
import { SendEntity } from '../persistence/entities/send.entity.js';
import { AppPacer } from '../pacing/app-pacer.js';
import { annotateRequestContext } from '../logging/request-context.js';
import { ShutdownState } from '../observability/shutdown-state.js';
import { completeSendIfSettled } from '../sends/complete-send-if-settled.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';
import { recordUsage, type UsageDelta } from '../usage/usage-meter.js';
import { type BatchToEnqueue, DeliverBatchProducer } from '../queue/deliver-batch.producer.js';
import { retryingTransaction } from '../persistence/retrying-transaction.js';
import { type SendEventInput, SendEventLog } from '../send-events/send-event-log.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from '../read-status/read-tracking.settings.js';
import { startReadTracking } from '../read-status/start-read-tracking.js';
import {
  ambiguousOutcome,
  attemptFailed,
  attemptSent,
  batchCancelled,
  batchFailed,
  type BatchRef,
  flowControlRetries,
  retryScheduled,
} from './batch-events.js';
import type { DeliverySettings } from './delivery.settings.js';
import { placeFlowControlledUsers, type ResendPlacement } from './flow-control-resends.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

export type DeliverBatchOutcome =
  | { kind: 'skipped'; reason: string }
  /** `resent`: flow-controlled users moved into re-send batches. */
  | { kind: 'settled'; batchStatus: BatchStatus; counts: Partial<Record<RecipientStatus, number>>; resent: number }
  /**
   * `paced`: handed back before any call (pace, pause, shutdown, unreadable configuration), not a failed attempt.
   * `retryClass`: the call failed and is retried; DingTalk's retry class of the failure (what the metrics count).
   */
  | { kind: 'retry'; delayMs: number; reason: string; paced?: boolean; retryClass?: RetryClass };

interface Claim {
  batch: BatchEntity;
  send: SendEntity;
  /** `in_flight` means an earlier attempt died mid-call: its outcome is unknown. */
  previousStatus: BatchStatus;
  userIds: string[];
}

/** A DingTalk call to meter in the transaction that records its outcome. */
interface MeteredCall {
  chatConfiguration: string;
  delta: Partial<UsageDelta>;
  limits: DingTalkLimits;
}

/** Handed back before any write or call because this worker is shutting down; another worker takes it at once. */
const SHUTTING_DOWN: DeliverBatchOutcome = { kind: 'retry', delayMs: 0, reason: 'worker shutting down', paced: true };

/** Code recorded when a send names a configuration that no longer exists. */
const CONFIGURATION_MISSING = 'dingrelay.chatConfigurationMissing';

/**
 * Delivers one batch: claims it, makes one batchSend call and records each user's outcome. DingTalk answers 200 with
 * partial failures, so the outcome is per user: accepted → delivered with the processQueryKey; invalid/filtered →
 * terminal; flow-controlled → re-sent later, with the send's other users due then (never the whole batch again).
 */
@Injectable()
export class DeliverBatchUseCase {
  private readonly logger = new Logger(DeliverBatchUseCase.name);
  private readonly unreadable: UnreadableConfigurationNotices;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DingTalkClient,
    private readonly producer: DeliverBatchProducer,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
    private readonly pacer: AppPacer,
    private readonly timeline: SendEventLog,
    @Inject(READ_TRACKING_SETTINGS) private readonly readTracking: ReadTrackingSettings,
    private readonly shutdown: ShutdownState,
  ) {
    this.unreadable = new UnreadableConfigurationNotices(this.logger, readTracking.unreadableConfigurationBackoffMs);
  }

  async execute(batchId: string): Promise<DeliverBatchOutcome> {
    if (this.shutdown.draining) return SHUTTING_DOWN;
    const gate = await this.gate(batchId);
    if (gate) return gate;
    // The process began shutting down while this job waited for its pace slot: nothing was written or called yet,
    // so the job goes back to the queue exactly as it was, for another worker (not a failed attempt).
    if (this.shutdown.draining) return SHUTTING_DOWN;
    const claim = await this.claim(batchId);
    if (!claim) return { kind: 'skipped', reason: 'batch is not open' };
    const { batch, send } = claim;
    annotateRequestContext({ sendId: send.id });

    if (claim.userIds.length === 0) {
      await this.settle(send.id, undefined, async (tx) => {
        await this.closeBatch(tx, batch.id, BatchStatus.Cancelled);
        return { events: [batchCancelled(refOf(claim), 0, 'no pending recipients left in the batch')], result: undefined };
      });
      return { kind: 'skipped', reason: 'no pending recipients left in the batch' };
    }
    if (send.cancelledAt) {
      // Retried or re-sent after the cancel (a cancel only stops batches that are pending at that moment).
      if (claim.previousStatus === BatchStatus.InFlight) {
        return this.settleAmbiguous(claim, 'the send was cancelled after a call whose outcome was lost', false);
      }
      return this.settleCancelled(claim);
    }
    if (claim.previousStatus === BatchStatus.InFlight && send.deliveryPolicy === DeliveryPolicy.AtMostOnce) {
      // The claim already counted the lost call; nothing is called now.
      return this.settleAmbiguous(claim, 'an earlier attempt ended mid-call (worker crash or lost job)', false);
    }

    const app = await this.configurations.find(send.chatConfiguration);
    if (!app) {
      return this.settleFailed(
        claim, CONFIGURATION_MISSING, `chat configuration ${send.chatConfiguration} does not exist`, false, undefined, false,
      );
    }

    let result: BatchSendOTOResult;
    try {
      result = await this.client.batchSendOTO(
        { appKey: app.appKey, appSecret: app.appSecret },
        { robotCode: send.robotCode, userIds: claim.userIds, msgKey: send.msgKey, msgParam: send.msgParam },
      );
    } catch (error) {
      if (!isDingTalkError(error)) throw error;
      return this.handleFailure(claim, error);
    }
    // A failure from here on leaves the batch in flight: the next attempt treats the call as ambiguous, which is
    // exactly right — DingTalk acted on it, and we may not have recorded that.
    return this.settleSuccess(claim, result);
  }

  /** The deployment's DingTalk limits with the configuration's own overrides (its app's pace and quota). */
  private limitsOf(app: ChatConfigurationCredentials | undefined): DingTalkLimits {
    return app?.limits ? { ...this.limits, ...app.limits } : this.limits;
  }

  /** Limits of the configuration a send goes through, for the usage meter's quota warning. */
  private async limitsFor(chatConfiguration: string): Promise<DingTalkLimits> {
    return this.limitsOf(await this.configurations.find(chatConfiguration).catch(() => undefined));
  }

  /**
   * The claim's call, to be metered by its settlement. The limits are read here, before the transaction: a lookup
   * inside it would hold this connection while waiting for another.
   */
  private async meteredCall(claim: Claim, delta: Partial<UsageDelta>): Promise<MeteredCall> {
    return { chatConfiguration: claim.send.chatConfiguration, delta, limits: await this.limitsFor(claim.send.chatConfiguration) };
  }

  /**
   * Decides, before touching the batch, whether it may call DingTalk now: not while its configuration is paused
   * (quota spent), and only in its turn of the app's pace. Returns an outcome when it may not, undefined when it may.
   * Nothing is written here, so a batch handed back stays exactly as it was.
   */
  private async gate(batchId: string): Promise<DeliverBatchOutcome | undefined> {
    const [row]: { status: BatchStatus; chat_configuration: string; cancelled: boolean; paused_ms: number | null; reason: string | null }[] =
      await this.dataSource.query(
        `SELECT b.status, s.chat_configuration, s.cancelled_at IS NOT NULL AS cancelled, p.reason,
                ceil(EXTRACT(EPOCH FROM (p.paused_until - now())) * 1000)::int AS paused_ms
           FROM batches b
           JOIN sends s ON s.id = b.send_id
           LEFT JOIN delivery_pauses p ON p.chat_configuration = s.chat_configuration AND p.paused_until > now()
          WHERE b.id = $1`,
        [batchId],
      );
    if (!row || (row.status !== BatchStatus.Pending && row.status !== BatchStatus.InFlight)) {
      return { kind: 'skipped', reason: 'batch is not open' };
    }
    // A cancelled send makes no call; the claim settles it at once.
    if (row.cancelled) return undefined;
    if (row.paused_ms !== null && row.paused_ms > 0) {
      // Spread the returns so a whole backlog doesn't probe DingTalk in the same second when the pause ends.
      return { kind: 'retry', delayMs: row.paused_ms + randomInt(0, 5_000), reason: `paused: ${row.reason}`, paced: true };
    }
    let app: ChatConfigurationCredentials | undefined;
    try {
      app = await this.configurations.find(row.chat_configuration);
    } catch (error) {
      if (!(error instanceof ChatConfigurationUnreadableError)) throw error;
      return this.holdBackUnreadable(error);
    }
    if (!app) return undefined;
    const slot = await this.pacer.reserve(app.appKey, DingTalkApi.BatchSendOTO, pacedCallsPerSecond(this.limitsOf(app)), batchId);
    if (slot.held) return { kind: 'retry', delayMs: slot.waitMs, reason: 'paced', paced: true };
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    return undefined;
  }

  /**
   * A configuration whose secrets cannot be decrypted fails every batch through it alike until an operator restores
   * the key: the batch goes back to the queue untouched (no attempt spent, its recipients stay pending) for the
   * back-off, with jitter so a backlog doesn't all return in the same second, and the log says so once per back-off.
   */
  private holdBackUnreadable(error: ChatConfigurationUnreadableError): DeliverBatchOutcome {
    this.unreadable.report(error);
    const backoffMs = this.unreadable.backoffMs;
    const delayMs = backoffMs + randomInt(0, Math.max(1, Math.floor(backoffMs / 4)));
    return { kind: 'retry', delayMs, reason: `unreadable configuration ${error.chatConfiguration}`, paced: true };
  }

  private async claim(batchId: string): Promise<Claim | null> {
    return this.dataSource.transaction(async (tx) => {
      const batch = await tx.getRepository(BatchEntity).findOne({ where: { id: batchId }, lock: { mode: 'pessimistic_write' } });
      if (!batch || (batch.status !== BatchStatus.Pending && batch.status !== BatchStatus.InFlight)) return null;
      const send = await tx.getRepository(SendEntity).findOneByOrFail({ id: batch.sendId });
      const rows: { user_id: string }[] = await tx.query(
        `SELECT user_id FROM recipients WHERE batch_id = $1 AND status = $2 ORDER BY id`,
        [batch.id, RecipientStatus.Pending],
      );
      const previousStatus = batch.status;
      const userIds = rows.map((r) => r.user_id);
      // Found in flight: the claim before this one made a call and never recorded its outcome. That call is counted
      // here as ambiguous, and on its recipients, which only a settlement would otherwise have done.
      const lostCall = previousStatus === BatchStatus.InFlight;
      // `attempts` counts calls made: none when nobody is left or the policy forbids calling again.
      const willCall =
        userIds.length > 0 && !send.cancelledAt && !(lostCall && send.deliveryPolicy === DeliveryPolicy.AtMostOnce);
      const ambiguous = lostCall ? 1 : 0;
      const attempt = willCall ? 1 : 0;
      await tx.query(
        `UPDATE batches SET status = $2, attempts = attempts + $3, ambiguous_attempts = ambiguous_attempts + $4,
                            updated_at = now()
          WHERE id = $1`,
        [batch.id, BatchStatus.InFlight, attempt, ambiguous],
      );
      if (lostCall) {
        await this.countCall(tx, batch.id, true);
        const lost = { sendId: send.id, batchId: batch.id, attempt: batch.attempts };
        await this.timeline.append(tx, [ambiguousOutcome(lost, 'an earlier attempt ended mid-call (worker crash or lost job)')]);
      }
      batch.attempts += attempt;
      batch.ambiguousAttempts += ambiguous;
      return { batch, send, previousStatus, userIds };
    });
  }

  private async settleSuccess(claim: Claim, result: BatchSendOTOResult): Promise<DeliverBatchOutcome> {
    const requested = new Set(claim.userIds);
    const inRequest = (ids: readonly string[]) => [...new Set(ids)].filter((id) => requested.has(id));
    const invalid = inRequest(result.invalidStaffIdList);
    const filtered = inRequest(result.filteredStaffIdList).filter((id) => !invalid.includes(id));
    const notDelivered = new Set([...invalid, ...filtered]);
    const flowControlled = inRequest(result.flowControlledStaffIdList).filter((id) => !notDelivered.has(id));
    for (const id of flowControlled) notDelivered.add(id);
    const delivered = claim.userIds.filter((id) => !notDelivered.has(id));
    const pqk = result.processQueryKey;

    const metered = await this.meteredCall(claim, { calls: 1, billableCalls: 1, recipients: claim.userIds.length, delivered: delivered.length });
    const { counts, placements } = await this.settle(claim.send.id, metered, async (tx, send) => {
      const placements: ResendPlacement[] = [];
      const counts: Partial<Record<RecipientStatus, number>> = {};
      counts.delivered = await this.setRecipients(tx, claim.batch.id, delivered, RecipientStatus.Delivered, null, null, pqk);
      counts.invalid = await this.setRecipients(
        tx, claim.batch.id, invalid, RecipientStatus.Invalid,
        RecipientReason.InvalidStaffId, 'DingTalk listed this userId in invalidStaffIdList', pqk,
      );
      const filteredOut = await this.giveUp(
        tx, claim.batch.id, filtered, RecipientReason.Filtered, 'DingTalk listed this userId in filteredStaffIdList',
        false, true, pqk,
      );
      if (send.cancelled) {
        counts.cancelled = await this.setRecipients(
          tx, claim.batch.id, flowControlled, RecipientStatus.Cancelled, RecipientReason.Cancelled,
          'DingTalk flow-controlled this user and the send was cancelled before a re-send', pqk,
        );
        addCounts(counts, filteredOut);
      } else {
        const { exhausted, placed } = await this.scheduleFlowControlled(tx, claim, flowControlled);
        addCounts(counts, filteredOut, exhausted);
        placements.push(...placed);
      }
      await tx.query(
        `UPDATE batches SET status = $2, process_query_key = $3, dingtalk_request_id = $4, sent_at = now(),
                            last_error_code = NULL, last_error_message = NULL, updated_at = now()
          WHERE id = $1`,
        [claim.batch.id, BatchStatus.Sent, pqk, result.requestId ?? null],
      );
      if (delivered.length > 0) await startReadTracking(tx, claim.batch.id, this.readTracking);
      const attempt = { delivered: counts.delivered ?? 0, invalid: counts.invalid ?? 0, filtered: filtered.length, flowControlled: flowControlled.length };
      return { events: [attemptSent(refOf(claim), result, attempt), ...flowControlRetries(refOf(claim), placements)], result: { counts, placements } };
    });
    // Joined batches are queued already; only new ones need a job.
    await this.enqueueResends(claim.send.id, placements.filter((p) => p.created).map((p) => ({ id: p.batchId, delayMs: p.delayMs })));
    const resent = placements.reduce((n, p) => n + p.userIds.length, 0);
    return { kind: 'settled', batchStatus: BatchStatus.Sent, counts, resent };
  }

  /**
   * Moves each flow-controlled user into a re-send batch (shared with other users of the send due about then, see
   * placeFlowControlledUsers) due after a back-off that doubles per attempt, or fails it once its attempts are spent.
   */
  private async scheduleFlowControlled(
    tx: EntityManager,
    claim: Claim,
    userIds: string[],
  ): Promise<{ exhausted: Partial<Record<RecipientStatus, number>>; placed: ResendPlacement[] }> {
    if (userIds.length === 0) return { exhausted: {}, placed: [] };
    const rows: { user_id: string; flow_controlled: number }[] = await tx.query(
      `UPDATE recipients SET flow_controlled = flow_controlled + 1
        WHERE batch_id = $1 AND user_id = ANY($2) AND status = $3
        RETURNING user_id, flow_controlled`,
      [claim.batch.id, userIds, RecipientStatus.Pending],
    ).then(([updated]: [{ user_id: string; flow_controlled: number }[], number]) => updated);
    // Only flow control spends this budget: the first send counts as one, lost answers and retries do not.
    const spent = rows.filter((r) => r.flow_controlled >= this.settings.flowControlMaxAttempts).map((r) => r.user_id);
    const retry = rows.filter((r) => r.flow_controlled < this.settings.flowControlMaxAttempts);
    const exhausted = await this.giveUp(
      tx, claim.batch.id, spent, RecipientReason.FlowControlExhausted,
      `DingTalk flow-controlled this user on ${this.settings.flowControlMaxAttempts} attempts`, false,
    );
    if (retry.length === 0) return { exhausted, placed: [] };

    const placed = await placeFlowControlledUsers(tx, {
      sendId: claim.send.id,
      fromBatchId: claim.batch.id,
      users: retry.map((r) => ({ userId: r.user_id, ...this.flowControlWindow(r.flow_controlled) })),
    });
    return { exhausted, placed };
  }

  private async handleFailure(claim: Claim, error: DingTalkError): Promise<DeliverBatchOutcome> {
    const { code, message } = describeFailure(error);
    const policy = claim.send.deliveryPolicy;
    const usage = usageOfFailure(error, claim.userIds.length);

    if (error.ambiguous && policy === DeliveryPolicy.AtMostOnce) {
      return this.settleAmbiguous(claim, `the call's outcome is unknown (${code}: ${message})`, true, usage, error);
    }
    const throttled = error.retryClass === RetryClass.QpsThrottle || error.retryClass === RetryClass.RateLimited;
    const quotaSpent = error.retryClass === RetryClass.QuotaExhausted;
    // Throttling and a spent quota say nothing about this batch: they don't spend its retry budget, but throttling
    // is still bounded so that an app throttled for ever ends its recipients in a known state.
    const budgetSpent = throttled
      ? claim.batch.throttledAttempts + 1 >= this.settings.maxThrottledAttempts
      : !quotaSpent && claim.batch.attempts - claim.batch.throttledAttempts >= this.settings.maxAttempts;
    const retryable = isRetryable(error.retryClass, policy) || quotaSpent;
    if (!retryable || budgetSpent) {
      const tries = throttled ? claim.batch.throttledAttempts + 1 : claim.batch.attempts - claim.batch.throttledAttempts;
      const reason = retryable ? `${message} (gave up after ${tries} ${throttled ? 'throttled ' : ''}attempts)` : message;
      return this.settleFailed(claim, code, reason, error.ambiguous, usage, true, error);
    }

    const app = await this.configurations.find(claim.send.chatConfiguration);
    let delayMs: number;
    if (quotaSpent) {
      delayMs = this.settings.quotaPauseMs;
      await this.pauseConfiguration(claim.send.chatConfiguration, error.retryClass, code, message, delayMs);
    } else {
      const budgetAttempt = throttled ? claim.batch.throttledAttempts + 1 : claim.batch.attempts - claim.batch.throttledAttempts;
      delayMs = Math.max(
        this.settings.retryBaseDelayMs,
        retryDelayMs(error.retryClass, budgetAttempt, code, this.settings.retryMaxDelayMs),
      );
      // Every worker holds off this app, not just this batch: the next calls would be throttled too.
      if (throttled && app) {
        const holdMs = Math.min(minRetryDelayMs(error.retryClass, code), this.settings.retryMaxDelayMs);
        await this.pacer.penalize(app.appKey, DingTalkApi.BatchSendOTO, holdMs);
      }
    }
    const limits = this.limitsOf(app);
    // Same lock order as a settlement: the meter's shard row, then the batch's rows.
    await retryingTransaction(this.dataSource, async (tx) => {
      await recordUsage(tx, claim.send.chatConfiguration, usage, limits);
      await tx.query(
        `UPDATE batches SET status = $2, last_error_code = $3, last_error_message = $4,
                            not_before = now() + $5 * interval '1 millisecond',
                            ambiguous_attempts = ambiguous_attempts + $6, throttled_attempts = throttled_attempts + $7,
                            updated_at = now()
          WHERE id = $1`,
        [claim.batch.id, BatchStatus.Pending, code, truncate(message), delayMs, error.ambiguous ? 1 : 0, throttled ? 1 : 0],
      );
      // The call included these users even though it failed; the next one will too.
      await this.countCall(tx, claim.batch.id, error.ambiguous);
      await this.timeline.append(tx, [
        attemptFailed(refOf(claim), error, code),
        ...(error.ambiguous ? [ambiguousOutcome(refOf(claim), `${code}: the answer was lost; re-sent under at-least-once`)] : []),
        retryScheduled(refOf(claim), `${error.retryClass}: ${code}`, delayMs),
      ]);
    }, { logger: this.logger, label: `retry of batch ${claim.batch.id}` });
    this.logger.warn(`batch ${claim.batch.id}: ${error.retryClass} ${code}, retry in ${delayMs} ms`);
    return { kind: 'retry', delayMs, reason: `${error.retryClass}: ${code}`, retryClass: error.retryClass };
  }

  /** Holds every delivery through the configuration; recipients stay pending and the API shows why and until when. */
  private async pauseConfiguration(chatConfiguration: string, reason: string, code: string, message: string, ms: number) {
    await this.dataSource.query(
      `INSERT INTO delivery_pauses (chat_configuration, reason, code, message, paused_until)
       VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
       ON CONFLICT (chat_configuration) DO UPDATE
          SET reason = EXCLUDED.reason, code = EXCLUDED.code, message = EXCLUDED.message,
              paused_since = CASE WHEN delivery_pauses.paused_until > now() THEN delivery_pauses.paused_since ELSE now() END,
              paused_until = GREATEST(delivery_pauses.paused_until, EXCLUDED.paused_until)`,
      [chatConfiguration, reason, code, truncate(message), ms],
    );
    this.logger.warn(`chat configuration ${chatConfiguration}: deliveries paused for ${ms} ms (${code})`);
  }

  private async settleCancelled(claim: Claim): Promise<DeliverBatchOutcome> {
    const cancelled = await this.settle(claim.send.id, undefined, async (tx) => {
      const cancelled = await this.setRecipients(
        tx, claim.batch.id, claim.userIds, RecipientStatus.Cancelled, RecipientReason.Cancelled,
        'Cancelled before this batch was sent', null, false,
      );
      await this.closeBatch(tx, claim.batch.id, BatchStatus.Cancelled);
      return { events: [batchCancelled(refOf(claim), cancelled, 'the send was cancelled before this batch was sent')], result: cancelled };
    });
    return { kind: 'settled', batchStatus: BatchStatus.Cancelled, counts: { cancelled }, resent: 0 };
  }

  /**
   * Gives up on the batch's pending recipients. They failed — unless a call of this batch lost its answer (an
   * at-least-once send retried it), in which case DingTalk may have delivered and their outcome is unknown.
   * `ambiguous`: the call just made failed without a clear answer (counted on the batch).
   */
  private async settleFailed(
    claim: Claim,
    code: string,
    message: string,
    ambiguous = false,
    usage?: Partial<UsageDelta>,
    callMade = true,
    error?: DingTalkError,
  ): Promise<DeliverBatchOutcome> {
    const metered = usage && (await this.meteredCall(claim, usage));
    const counts = await this.settle(claim.send.id, metered, async (tx) => {
      const settled = await this.giveUp(tx, claim.batch.id, claim.userIds, code, message, ambiguous, callMade);
      const batchStatus = (settled.unknown ?? 0) > 0 ? BatchStatus.Unknown : BatchStatus.Failed;
      await this.closeBatch(tx, claim.batch.id, batchStatus, code, message, ambiguous);
      const events = [...(error ? [attemptFailed(refOf(claim), error, code)] : []), batchFailed(refOf(claim), code, message, settled)];
      return { events, result: settled };
    });
    return { kind: 'settled', batchStatus: (counts.unknown ?? 0) > 0 ? BatchStatus.Unknown : BatchStatus.Failed, counts, resent: 0 };
  }

  /**
   * Ends users dingrelay stops trying for. A user any of whose calls lost its answer may have the message, so they end
   * `unknown`, never `failed`: a caller re-sending to "failed" users must not double-deliver (invariant 2).
   * `lostNow`: the call being settled itself lost its answer.
   */
  private async giveUp(
    tx: EntityManager,
    batchId: string,
    userIds: readonly string[],
    code: string,
    message: string,
    lostNow: boolean,
    countsCall = true,
    processQueryKey: string | null = null,
  ): Promise<Partial<Record<RecipientStatus, number>>> {
    if (userIds.length === 0) return {};
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
        [batchId, userIds, code, lostNow ? 1 : 0, truncate(message), countsCall ? 1 : 0, processQueryKey],
      )
    )[0];
    const counts: Partial<Record<RecipientStatus, number>> = {};
    for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
    return counts;
  }

  /**
   * `callMade`: this attempt's own call ended without an answer (count it); false when the ambiguous call is one a
   * crashed attempt made, which the claim already counted.
   */
  private async settleAmbiguous(
    claim: Claim,
    why: string,
    callMade: boolean,
    usage?: Partial<UsageDelta>,
    error?: DingTalkError,
  ): Promise<DeliverBatchOutcome> {
    const metered = usage && (await this.meteredCall(claim, usage));
    const unknown = await this.settle(claim.send.id, metered, async (tx) => {
      const unknown = await this.setRecipients(
        tx, claim.batch.id, claim.userIds, RecipientStatus.Unknown, RecipientReason.AmbiguousNotResent,
        `${why}; not re-sent because the send is at-most-once`, null, callMade,
      );
      await this.closeBatch(tx, claim.batch.id, BatchStatus.Unknown, RecipientReason.AmbiguousNotResent, why, callMade);
      const failed = error ? [attemptFailed(refOf(claim), error, describeFailure(error).code)] : [];
      return { events: [...failed, ambiguousOutcome(refOf(claim), `${why}; not re-sent because the send is at-most-once`)], result: unknown };
    });
    return { kind: 'settled', batchStatus: BatchStatus.Unknown, counts: { unknown }, resent: 0 };
  }

  /**
   * Runs one settlement transaction, and runs it again when Postgres aborts it for a deadlock: the DingTalk answer it
   * records exists only in this process, and a lost settlement would turn a known outcome into an ambiguous one.
   *
   * Every settlement takes its row locks in one order — the usage meter's shard row, then the batch's own rows, then
   * the send's row — so settlements of one configuration wait on each other but never in a cycle. (A flow-control
   * re-send locked the send's row for its batch numbers before metering the call, while a sibling batch held the
   * shard and waited for the send's row: Postgres aborted one of them.)
   * The send's row lock is taken last, only around the completion check: the last settlement to take it sees every
   * earlier one committed, so exactly one of them stamps `completed_at`, while the recipient and batch updates before
   * it run in parallel across a send's batches. (Held from the start, the lock made every settlement of a large send
   * queue behind the previous one's round trips.)
   * `cancelled` is read without the lock: a cancel committed just after it is caught when re-send batches are claimed.
   */
  private async settle<T>(
    sendId: string,
    /** The call this settlement records, metered in the same transaction. */
    usage: MeteredCall | undefined,
    /** Returns the send's timeline entries for this settlement (written with the send's `updated_at`) and a result. */
    work: (tx: EntityManager, send: { cancelled: boolean }) => Promise<{ events: SendEventInput[]; result: T }>,
  ): Promise<T> {
    return retryingTransaction(
      this.dataSource,
      async (tx) => {
        if (usage) await recordUsage(tx, usage.chatConfiguration, usage.delta, usage.limits);
        const [row]: { cancelled: boolean }[] = await tx.query(
          `SELECT cancelled_at IS NOT NULL AS cancelled FROM sends WHERE id = $1`,
          [sendId],
        );
        const { events, result } = await work(tx, { cancelled: row?.cancelled ?? false });
        await this.timeline.appendWith(tx, events, `UPDATE sends SET updated_at = now() WHERE id = $1`, [sendId]);
        await completeSendIfSettled(tx, sendId);
        return result;
      },
      { logger: this.logger, label: `settlement of send ${sendId}` },
    );
  }

  private async setRecipients(
    tx: EntityManager,
    batchId: string,
    userIds: readonly string[],
    status: RecipientStatus,
    reasonCode: string | null,
    reasonMessage: string | null,
    processQueryKey: string | null,
    /** Whether the call being settled is counted on the recipients here (false: it was counted already). */
    countsCall = true,
  ): Promise<number> {
    if (userIds.length === 0) return 0;
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE recipients
          SET status = $3, reason_code = $4, reason_message = $5, process_query_key = $6, attempts = attempts + $7,
              delivered_at = CASE WHEN $3 = '${RecipientStatus.Delivered}' THEN now() ELSE NULL END, updated_at = now()
        WHERE batch_id = $1 AND user_id = ANY($2) AND status = '${RecipientStatus.Pending}'`,
      [batchId, userIds, status, reasonCode, reasonMessage === null ? null : truncate(reasonMessage), processQueryKey, countsCall ? 1 : 0],
    );
    return affected;
  }

  /** Counts a call on the batch's pending recipients without settling them: every call that named a user counts. */
  private async countCall(tx: EntityManager, batchId: string, lost: boolean): Promise<void> {
    await tx.query(
      `UPDATE recipients SET attempts = attempts + 1, lost_calls = lost_calls + $3, updated_at = now()
        WHERE batch_id = $1 AND status = $2`,
      [batchId, RecipientStatus.Pending, lost ? 1 : 0],
    );
  }

  /** `ambiguous`: the call being settled ended without a clear answer; counted in `ambiguous_attempts`. */
  private async closeBatch(tx: EntityManager, batchId: string, status: BatchStatus, code?: string, message?: string, ambiguous = false) {
    await tx.query(
      `UPDATE batches SET status = $2, last_error_code = COALESCE($3, last_error_code),
                          last_error_message = COALESCE($4, last_error_message),
                          ambiguous_attempts = ambiguous_attempts + $5, updated_at = now()
        WHERE id = $1`,
      [batchId, status, code ?? null, message === undefined ? null : truncate(message), ambiguous ? 1 : 0],
    );
  }

  private async enqueueResends(sendId: string, resends: BatchToEnqueue[]): Promise<void> {
    if (resends.length === 0) return;
    try {
      await this.producer.enqueue(resends);
    } catch (error) {
      // Committed as pending with not_before; the reconciler enqueues them once Redis is back.
      this.logger.warn(`send ${sendId}: ${resends.length} re-send batches left to the reconciler (${(error as Error).message})`);
    }
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
}

function refOf(claim: Claim): BatchRef {
  return { sendId: claim.send.id, batchId: claim.batch.id, attempt: claim.batch.attempts };
}

function addCounts(
  into: Partial<Record<RecipientStatus, number>>,
  ...parts: Partial<Record<RecipientStatus, number>>[]
): void {
  for (const part of parts) {
    for (const [status, n] of Object.entries(part) as [RecipientStatus, number][]) into[status] = (into[status] ?? 0) + n;
  }
}

/**
 * What a failed call counts for on the meter. DingTalk doesn't charge calls refused by QPS throttling or lost to the
 * network (spec §8.1), nor (having no quota left) one refused for the quota; a call never sent isn't a call.
 */
function usageOfFailure(error: DingTalkError, recipients: number): Partial<UsageDelta> {
  if (error instanceof DingTalkApiError) {
    if (error.retryClass === RetryClass.QpsThrottle) return { calls: 1, recipients, throttled: 1 };
    if (error.retryClass === RetryClass.QuotaExhausted) return { calls: 1, recipients, errors: 1 };
    return { calls: 1, billableCalls: 1, recipients, errors: 1, throttled: error.retryClass === RetryClass.RateLimited ? 1 : 0 };
  }
  if (error instanceof DingTalkTransportError && error.requestSent) return { calls: 1, recipients, errors: 1 };
  return {};
}

/** DingTalk's own code where it sent one, else a namespaced code saying what failed on our side of the wire. */
function describeFailure(error: DingTalkError): { code: string; message: string } {
  if (error instanceof DingTalkApiError) {
    return { code: error.code ?? `http.${error.httpStatus}`, message: error.dingTalkMessage ?? error.message };
  }
  if (error instanceof DingTalkRequestError) return { code: error.code, message: error.message };
  if (error instanceof DingTalkTransportError) return { code: `dingrelay.transport.${error.failure}`, message: error.message };
  return { code: 'dingrelay.dingtalkError', message: error.message };
}

function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
