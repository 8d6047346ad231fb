import { Inject, Injectable, Logger } from '@nestjs/common';
import { RecipientStatus } from '@dingrelay/contracts';
import { DingTalkApi, DINGTALK_LIMITS as CLIENT_LIMITS } from '@dingrelay/dingtalk-client';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentialsSource,
} from '../chat-configurations/chat-configuration.js';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { BatchStatus, OPEN_BATCH_STATUSES } from '../persistence/entities/batch.entity.js';
import { FollowUpCall } from '../read-status/follow-up-call.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from '../read-status/read-tracking.settings.js';
import { SendEventLog } from '../send-events/send-event-log.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { recordUsage } from '../usage/usage-meter.js';
import { RecallEventType, RecallOutcome, RecallReason } from './recall-status.js';

export type RecallSendOutcome =
  | { kind: 'completed'; recalled: number; failed: number }
  /** Batches are still in flight; the send is looked at again after `delayMs`. */
  | { kind: 'waiting'; delayMs: number }
  | { kind: 'retry'; delayMs: number; code: string };

interface SendRow {
  chat_configuration: string;
  chat_configuration_id: string | null;
  /** The send went through the configuration that has its name now (sentThroughCurrentConfiguration). */
  configuration_current: boolean;
  robot_code: string;
}

/**
 * Carries out a requested recall of one send, claimed by the recall scanner: batches past DingTalk's 24 h window are
 * marked failed (`expired`) without a call, the others are recalled ≤ 20 processQueryKeys per batchRecall, paced with
 * the app's other calls. Each key's `successResult` / `failedResult` reason lands on its batch and its delivered
 * recipients. The recall completes once no batch of the send is left to recall or in flight.
 */
@Injectable()
export class RecallSendUseCase {
  private readonly logger = new Logger(RecallSendUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly followUp: FollowUpCall,
    private readonly events: SendEventLog,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(READ_TRACKING_SETTINGS) private readonly settings: ReadTrackingSettings,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async execute(sendId: string): Promise<RecallSendOutcome> {
    const [send]: SendRow[] = await this.dataSource.query(
      `SELECT s.chat_configuration, s.chat_configuration_id, s.robot_code, ${sentThroughCurrentConfiguration('s')} AS configuration_current
         FROM sends s WHERE s.id = $1`,
      [sendId],
    );
    if (!send) return { kind: 'completed', recalled: 0, failed: 0 };
    // A recall asked before the configuration was deleted: its keys fail without a call, never through the app of a
    // configuration re-created under the name (decided before any secret is read).
    const app = send.configuration_current ? await this.configurations.findAsRecorded(send.chat_configuration, send.chat_configuration_id) : undefined;
    const noApp = send.configuration_current ? RecallReason.ConfigurationMissing : RecallReason.ConfigurationDeleted;
    for (let call = 1; ; call++) {
      await this.expireOld(sendId);
      const chunk: { id: string; process_query_key: string }[] = await this.dataSource.query(
        `SELECT id, process_query_key FROM batches
          WHERE send_id = $1 AND status = $2 AND process_query_key IS NOT NULL AND recall_status IS NULL
          ORDER BY seq LIMIT $3`,
        [sendId, BatchStatus.Sent, CLIENT_LIMITS.batchRecallMaxKeys],
      );
      if (chunk.length === 0) {
        const outcome = await this.completeOrWait(sendId);
        if (outcome) return outcome;
        continue;
      }
      if (!app) {
        await this.dataSource.transaction((tx) =>
          this.settleKeys(tx, sendId, chunk, [], Object.fromEntries(chunk.map((b) => [b.process_query_key, noApp]))),
        );
        continue;
      }
      // Each call renews the claim: a send with thousands of keys takes many paced calls.
      await this.dataSource.query(`UPDATE sends SET recall_lease_until = now() + $2 * interval '1 millisecond' WHERE id = $1`, [
        sendId,
        this.settings.leaseMs,
      ]);
      const keys = chunk.map((b) => b.process_query_key);
      const request = { robotCode: send.robot_code, processQueryKeys: keys };
      const answer = await this.followUp.run(app, DingTalkApi.BatchRecall, `recall:${sendId}:${call}`, call, (client, credentials) =>
        client.batchRecall(credentials, request),
      );
      if (!answer.ok) {
        const { failure } = answer;
        await this.dataSource.transaction(async (tx) => {
          await recordUsage(tx, send.chat_configuration, { calls: 1, billableCalls: failure.billable ? 1 : 0, errors: 1 }, this.limits);
          await this.events.append(tx, [
            { sendId, type: RecallEventType.CallFailed, details: { keys: keys.length, code: failure.code, retryable: failure.retryable } },
          ]);
          if (failure.retryable) {
            await tx.query(`UPDATE sends SET recall_lease_until = now() + $2 * interval '1 millisecond' WHERE id = $1`, [sendId, failure.delayMs]);
          } else {
            // Refused for good (e.g. robot.processQueryKey.expired): every key of this call failed with DingTalk's code.
            await this.settleKeys(tx, sendId, chunk, [], Object.fromEntries(keys.map((k) => [k, failure.code])));
          }
        });
        if (failure.retryable) {
          this.logger.warn(`send ${sendId}: batchRecall failed (${failure.code}), retry in ${failure.delayMs} ms`);
          return { kind: 'retry', delayMs: failure.delayMs, code: failure.code };
        }
        continue;
      }
      const result = answer.result;
      await this.dataSource.transaction(async (tx) => {
        await recordUsage(tx, send.chat_configuration, { calls: 1, billableCalls: 1 }, this.limits);
        const counts = await this.settleKeys(tx, sendId, chunk, result.successResult, result.failedResult);
        await this.events.append(tx, [
          { sendId, type: RecallEventType.Call, details: { keys: keys.length, ...counts, requestId: result.requestId ?? null } },
        ]);
      });
    }
  }

  /** Batches sent more than 24 h ago can no longer be recalled: they fail as `expired` without a DingTalk call. */
  private async expireOld(sendId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const [expired]: [{ id: string }[], number] = await tx.query(
        `UPDATE batches SET recall_status = $2, recall_reason = $3, updated_at = now()
          WHERE send_id = $1 AND status = $4 AND process_query_key IS NOT NULL AND recall_status IS NULL
            AND sent_at <= now() - $5 * interval '1 millisecond'
          RETURNING id`,
        [sendId, RecallOutcome.Failed, RecallReason.Expired, BatchStatus.Sent, this.settings.windowMs],
      );
      if (expired.length === 0) return;
      const [, recipients]: [unknown, number] = await tx.query(
        `UPDATE recipients SET recall_status = $3, recall_reason = $4, updated_at = now()
          WHERE send_id = $1 AND batch_id = ANY($2) AND status = $5 AND recall_status IS NULL`,
        [sendId, expired.map((b) => b.id), RecallOutcome.Failed, RecallReason.Expired, RecipientStatus.Delivered],
      );
      await this.events.append(tx, [{ sendId, type: RecallEventType.Expired, details: { batches: expired.length, recipients } }]);
    });
  }

  /** Records each key's outcome on its batch and the batch's delivered recipients; recalled batches stop read polls. */
  private async settleKeys(
    tx: EntityManager,
    sendId: string,
    chunk: readonly { id: string; process_query_key: string }[],
    successResult: readonly string[],
    failedResult: Readonly<Record<string, string>>,
  ): Promise<{ recalled: number; failed: number }> {
    const succeeded = new Set(successResult);
    const outcomes = chunk.map((b) => {
      const key = b.process_query_key;
      if (succeeded.has(key)) return { id: b.id, status: RecallOutcome.Recalled, reason: null };
      return { id: b.id, status: RecallOutcome.Failed, reason: failedResult[key] ?? RecallReason.NoAnswer };
    });
    await tx.query(
      `UPDATE batches b
          SET recall_status = o.status, recall_reason = o.reason, updated_at = now(),
              recalled_at = CASE WHEN o.status = $2 THEN now() END,
              read_next_poll_at = CASE WHEN o.status = $2 THEN NULL ELSE b.read_next_poll_at END
         FROM unnest($1::uuid[], $3::text[], $4::text[]) AS o(id, status, reason)
        WHERE b.id = o.id`,
      [outcomes.map((o) => o.id), RecallOutcome.Recalled, outcomes.map((o) => o.status), outcomes.map((o) => o.reason)],
    );
    const [rows]: [{ recall_status: string }[], number] = await tx.query(
      `UPDATE recipients r
          SET recall_status = o.status, recall_reason = o.reason, updated_at = now(),
              recalled_at = CASE WHEN o.status = $3 THEN now() END
         FROM unnest($2::uuid[], $4::text[], $5::text[]) AS o(id, status, reason)
        WHERE r.send_id = $1 AND r.batch_id = o.id AND r.status = $6
        RETURNING r.recall_status`,
      [sendId, outcomes.map((o) => o.id), RecallOutcome.Recalled, outcomes.map((o) => o.status), outcomes.map((o) => o.reason), RecipientStatus.Delivered],
    );
    const recalled = rows.filter((r) => r.recall_status === RecallOutcome.Recalled).length;
    return { recalled, failed: rows.length - recalled };
  }

  /**
   * Completes the recall, or says how long to wait for batches still in flight; undefined when a batch became sent
   * since the caller looked for keys to recall (it goes round again). Open and sent-but-unrecalled batches are
   * counted in one statement: counted apart, a batch settling between the two counts was in neither, and the recall
   * completed without it.
   */
  private async completeOrWait(sendId: string): Promise<RecallSendOutcome | undefined> {
    return this.dataSource.transaction(async (tx) => {
      const [{ open, unrecalled }]: { open: number; unrecalled: number }[] = await tx.query(
        `SELECT count(*) FILTER (WHERE status = ANY($2))::int AS open,
                count(*) FILTER (WHERE status = $3 AND process_query_key IS NOT NULL AND recall_status IS NULL)::int AS unrecalled
           FROM batches WHERE send_id = $1`,
        [sendId, OPEN_BATCH_STATUSES, BatchStatus.Sent],
      );
      if (unrecalled > 0) return undefined;
      if (open > 0) {
        // Batches in flight when the recall was asked: recalled once they settle.
        const delayMs = this.settings.scanIntervalMs;
        await tx.query(`UPDATE sends SET recall_lease_until = now() + $2 * interval '1 millisecond' WHERE id = $1`, [sendId, delayMs]);
        return { kind: 'waiting', delayMs };
      }
      const [counts]: { recalled: number; failed: number }[] = await tx.query(
        `SELECT count(*) FILTER (WHERE recall_status = $2)::int AS recalled, count(*) FILTER (WHERE recall_status = $3)::int AS failed
           FROM recipients WHERE send_id = $1`,
        [sendId, RecallOutcome.Recalled, RecallOutcome.Failed],
      );
      const { recalled, failed } = counts ?? { recalled: 0, failed: 0 };
      await tx.query(`UPDATE sends SET recall_completed_at = now(), recall_lease_until = NULL, updated_at = now() WHERE id = $1`, [sendId]);
      await this.events.append(tx, [{ sendId, type: RecallEventType.Completed, details: { recalled, failed } }]);
      return { kind: 'completed', recalled, failed };
    });
  }
}
