import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryPolicy, type RecipientStatus } from '@dingrelay/contracts';
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
import { DataSource } from 'typeorm';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
  ChatConfigurationUnreadableError,
} from '../chat-configurations/chat-configuration.js';
import { UnreadableConfigurationNotices } from '../chat-configurations/unreadable-configuration-notices.js';
import { annotateRequestContext } from '../logging/request-context.js';
import { ShutdownState } from '../observability/shutdown-state.js';
import { AppPacer } from '../pacing/app-pacer.js';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from '../read-status/read-tracking.settings.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits, pacedCallsPerSecond } from '../usage/dingtalk-limits.js';
import type { UsageDelta } from '../usage/usage-meter.js';
import { BatchClaims, type Claim } from './batch-claim.js';
import { readDeliveryGate } from './batch-rows.js';
import { BatchSettlements, type CallAnswer, type MeteredCall } from './batch-settlements.js';
import { pauseDeliveries } from './delivery-pauses.js';
import type { DeliverySettings } from './delivery.settings.js';
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

/** Handed back before any write or call because this worker is shutting down; another worker takes it at once. */
const SHUTTING_DOWN: DeliverBatchOutcome = { kind: 'retry', delayMs: 0, reason: 'worker shutting down', paced: true };

/** Code recorded when a send names a configuration that no longer exists. */
const CONFIGURATION_MISSING = 'dingrelay.chatConfigurationMissing';

/**
 * Delivers one batch: may it call now (gate), take it (BatchClaims), make one batchSend call, record what became of
 * each user (BatchSettlements). DingTalk answers 200 with partial failures, so the outcome is per user: accepted →
 * delivered with the processQueryKey; invalid/filtered → terminal; flow-controlled → re-sent later, with the send's
 * other users due then (never the whole batch again). A failed call is retried, paused or given up by its retry class.
 */
@Injectable()
export class DeliverBatchUseCase {
  private readonly logger = new Logger(DeliverBatchUseCase.name);
  private readonly unreadable: UnreadableConfigurationNotices;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DingTalkClient,
    private readonly claims: BatchClaims,
    private readonly settlements: BatchSettlements,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
    private readonly pacer: AppPacer,
    @Inject(READ_TRACKING_SETTINGS) readTracking: ReadTrackingSettings,
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
    const claim = await this.claims.claim(batchId);
    if (!claim) return { kind: 'skipped', reason: 'batch is not open' };
    const { send } = claim;
    annotateRequestContext({ sendId: send.id });

    if (claim.userIds.length === 0) {
      await this.settlements.empty(claim);
      return { kind: 'skipped', reason: 'no pending recipients left in the batch' };
    }
    if (send.cancelledAt) {
      // Retried or re-sent after the cancel (a cancel only stops batches that are pending at that moment).
      if (claim.previousStatus === BatchStatus.InFlight) {
        return this.settleAmbiguous(claim, { why: 'the send was cancelled after a call whose outcome was lost', callMade: false });
      }
      const cancelled = await this.settlements.cancelled(claim);
      return { kind: 'settled', batchStatus: BatchStatus.Cancelled, counts: { cancelled }, resent: 0 };
    }
    if (claim.previousStatus === BatchStatus.InFlight && send.deliveryPolicy === DeliveryPolicy.AtMostOnce) {
      // The claim already counted the lost call; nothing is called now.
      return this.settleAmbiguous(claim, { why: 'an earlier attempt ended mid-call (worker crash or lost job)', callMade: false });
    }

    const app = await this.appOf(send);
    if (!app) {
      const reason = { code: CONFIGURATION_MISSING, message: `chat configuration ${send.chatConfiguration} does not exist` };
      return this.settleFailed(claim, { reason, ambiguousCall: false, callMade: false });
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
    const answer = splitAnswer(claim.userIds, result);
    const metered = await this.meteredCall(claim, {
      calls: 1, billableCalls: 1, recipients: claim.userIds.length, delivered: answer.delivered.length,
    });
    const { counts, resent } = await this.settlements.sent(claim, answer, metered);
    return { kind: 'settled', batchStatus: BatchStatus.Sent, counts, resent };
  }

  /**
   * The app of the configuration a send goes through, as recorded on the send: never a copy cached from before that
   * configuration replaced a deleted one of the same name (another process may have re-created it seconds ago).
   */
  private appOf(send: { chatConfiguration: string; chatConfigurationId: string | null }): Promise<ChatConfigurationCredentials | undefined> {
    return this.configurations.findAsRecorded(send.chatConfiguration, send.chatConfigurationId);
  }

  /** The deployment's DingTalk limits with the configuration's own overrides (its app's pace and quota). */
  private limitsOf(app: ChatConfigurationCredentials | undefined): DingTalkLimits {
    return app?.limits ? { ...this.limits, ...app.limits } : this.limits;
  }

  /**
   * The claim's call, to be metered by its settlement. The limits are read here, before the transaction: a lookup
   * inside it would hold this connection while waiting for another.
   */
  private async meteredCall(claim: Claim, delta: Partial<UsageDelta>): Promise<MeteredCall> {
    const app = await this.appOf(claim.send).catch(() => undefined);
    return { chatConfiguration: claim.send.chatConfiguration, delta, limits: this.limitsOf(app) };
  }

  /**
   * Decides, before touching the batch, whether it may call DingTalk now: not while its configuration is paused
   * (quota spent), and only in its turn of the app's pace. Returns an outcome when it may not, undefined when it may.
   * Nothing is written here, so a batch handed back stays exactly as it was.
   */
  private async gate(batchId: string): Promise<DeliverBatchOutcome | undefined> {
    const row = await readDeliveryGate(this.dataSource.manager, batchId);
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
      app = await this.appOf({ chatConfiguration: row.chat_configuration, chatConfigurationId: row.chat_configuration_id });
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

  /**
   * A failed call: settled as unknown (at-most-once lost its answer), failed (not retryable, or its budget is spent),
   * or handed back to be called again after a delay — pausing the configuration when its quota is spent and holding
   * every worker off the app when DingTalk throttled it.
   */
  private async handleFailure(claim: Claim, error: DingTalkError): Promise<DeliverBatchOutcome> {
    const reason = describeFailure(error);
    const { code, message } = reason;
    const policy = claim.send.deliveryPolicy;
    const usage = usageOfFailure(error, claim.userIds.length);

    if (error.ambiguous && policy === DeliveryPolicy.AtMostOnce) {
      return this.settleAmbiguous(claim, {
        why: `the call's outcome is unknown (${code}: ${message})`, callMade: true, usage, error, errorCode: code,
      });
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
      const gaveUp = retryable ? `${message} (gave up after ${tries} ${throttled ? 'throttled ' : ''}attempts)` : message;
      return this.settleFailed(claim, { reason: { code, message: gaveUp }, ambiguousCall: error.ambiguous, callMade: true, usage, error });
    }

    const app = await this.appOf(claim.send);
    let delayMs: number;
    if (quotaSpent) {
      delayMs = this.settings.quotaPauseMs;
      await pauseDeliveries(this.dataSource.manager, {
        chatConfiguration: claim.send.chatConfiguration, reason: error.retryClass, code, message, forMs: delayMs,
      });
      this.logger.warn(`chat configuration ${claim.send.chatConfiguration}: deliveries paused for ${delayMs} ms (${code})`);
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
    const metered = { chatConfiguration: claim.send.chatConfiguration, delta: usage, limits: this.limitsOf(app) };
    await this.settlements.retryLater(claim, { error, reason, delayMs, throttledCall: throttled, metered });
    this.logger.warn(`batch ${claim.batch.id}: ${error.retryClass} ${code}, retry in ${delayMs} ms`);
    return { kind: 'retry', delayMs, reason: `${error.retryClass}: ${code}`, retryClass: error.retryClass };
  }

  private async settleFailed(
    claim: Claim,
    failure: {
      reason: { code: string; message: string };
      ambiguousCall: boolean;
      callMade: boolean;
      usage?: Partial<UsageDelta>;
      error?: DingTalkError;
    },
  ): Promise<DeliverBatchOutcome> {
    const metered = failure.usage && (await this.meteredCall(claim, failure.usage));
    const counts = await this.settlements.failed(claim, { ...failure, metered });
    return { kind: 'settled', batchStatus: (counts.unknown ?? 0) > 0 ? BatchStatus.Unknown : BatchStatus.Failed, counts, resent: 0 };
  }

  private async settleAmbiguous(
    claim: Claim,
    outcome: { why: string; callMade: boolean; usage?: Partial<UsageDelta>; error?: DingTalkError; errorCode?: string },
  ): Promise<DeliverBatchOutcome> {
    const metered = outcome.usage && (await this.meteredCall(claim, outcome.usage));
    const unknown = await this.settlements.ambiguous(claim, { ...outcome, metered });
    return { kind: 'settled', batchStatus: BatchStatus.Unknown, counts: { unknown }, resent: 0 };
  }
}

/**
 * DingTalk's lists, kept to the users this call named and made disjoint: invalid first, then filtered, then
 * flow-controlled; everyone else was delivered.
 */
function splitAnswer(userIds: readonly string[], result: BatchSendOTOResult): CallAnswer {
  const requested = new Set(userIds);
  const inRequest = (ids: readonly string[]) => [...new Set(ids)].filter((id) => requested.has(id));
  const invalid = inRequest(result.invalidStaffIdList);
  const filtered = inRequest(result.filteredStaffIdList).filter((id) => !invalid.includes(id));
  const notDelivered = new Set([...invalid, ...filtered]);
  const flowControlled = inRequest(result.flowControlledStaffIdList).filter((id) => !notDelivered.has(id));
  for (const id of flowControlled) notDelivered.add(id);
  const delivered = userIds.filter((id) => !notDelivered.has(id));
  return { result, delivered, invalid, filtered, flowControlled };
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
