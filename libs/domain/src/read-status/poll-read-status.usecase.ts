import { Inject, Injectable, Logger } from '@nestjs/common';
import { RecipientStatus } from '@dingrelay/contracts';
import { DingTalkApi, type ReadStatusResult } from '@dingrelay/dingtalk-client';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentialsSource,
} from '../chat-configurations/chat-configuration.js';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { SendEventLog } from '../send-events/send-event-log.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { recordUsage } from '../usage/usage-meter.js';
import { FollowUpCall } from './follow-up-call.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from './read-tracking.settings.js';

/** DingTalk's answer when a message's read data is not generated yet, or no longer kept (spec §4). */
export const NOT_READY_CODE = 'processQueryKey.expireTime';

/** Why polling stopped without a call (`batches.read_error_code`): no configuration has the send's name. */
export const CONFIGURATION_MISSING_CODE = 'dingrelay.chatConfigurationMissing';
/** Why polling stopped without a call: the send's configuration was deleted (perhaps re-created: another one). */
export const CONFIGURATION_DELETED_CODE = 'dingrelay.chatConfigurationDeleted';

export const ReadEventType = {
  Polled: 'read-status.polled',
  PollFailed: 'read-status.poll-failed',
} as const;

export type PollOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'polled'; sendStatus: string; newlyRead: number; unread: number; done: boolean }
  | { kind: 'not-ready' }
  | { kind: 'failed'; code: string; retryAt: 'scheduled' | 'later' | 'never' };

interface PollTarget {
  id: string;
  send_id: string;
  process_query_key: string | null;
  status: BatchStatus;
  read_polls: number;
  recall_status: string | null;
  chat_configuration: string;
  chat_configuration_id: string | null;
  /** The send went through the configuration that has its name now (sentThroughCurrentConfiguration). */
  configuration_current: boolean;
  robot_code: string;
  age_ms: number | null;
}

/**
 * One readStatus poll of one batch's processQueryKey: records who has read, then schedules the next poll from the
 * batch's send time, or ends polling once every delivered recipient has read, the message was recalled, or DingTalk's
 * 24 h window has passed. `processQueryKey.expireTime` inside the window means "not generated yet": the schedule
 * simply goes on. Read times: DingTalk documents `readTimestamp` as "not supported yet" and usually omits it; then
 * `read_at` is the time of the poll that first saw the read, so it is the latest the user can have read.
 */
@Injectable()
export class PollReadStatusUseCase {
  private readonly logger = new Logger(PollReadStatusUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly followUp: FollowUpCall,
    private readonly events: SendEventLog,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
    @Inject(READ_TRACKING_SETTINGS) private readonly settings: ReadTrackingSettings,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async execute(batchId: string): Promise<PollOutcome> {
    const [target]: PollTarget[] = await this.dataSource.query(
      `SELECT b.id, b.send_id, b.process_query_key, b.status, b.read_polls, b.recall_status, s.chat_configuration, s.robot_code,
              s.chat_configuration_id, ${sentThroughCurrentConfiguration('s')} AS configuration_current,
              (EXTRACT(EPOCH FROM (now() - b.sent_at)) * 1000)::bigint AS age_ms
         FROM batches b JOIN sends s ON s.id = b.send_id WHERE b.id = $1`,
      [batchId],
    );
    if (!target) return { kind: 'skipped', reason: 'no such batch' };
    if (target.status !== BatchStatus.Sent || !target.process_query_key || target.age_ms === null) {
      await this.stop(batchId, null);
      return { kind: 'skipped', reason: 'batch was not sent' };
    }
    if (target.recall_status === 'recalled') {
      await this.stop(batchId, null);
      return { kind: 'skipped', reason: 'batch was recalled' };
    }
    if (Number(target.age_ms) >= this.settings.windowMs) {
      await this.stop(batchId, NOT_READY_CODE);
      return { kind: 'skipped', reason: "past DingTalk's 24 h window" };
    }
    // Decided before any secret is read: a deleted configuration's sends are polled with no app, not with the app of
    // one re-created under the name (nor held back because that one's secrets are unreadable).
    if (!target.configuration_current) {
      await this.stop(batchId, CONFIGURATION_DELETED_CODE);
      return { kind: 'skipped', reason: `chat configuration ${target.chat_configuration} the send went through was deleted` };
    }
    const app = await this.configurations.findAsRecorded(target.chat_configuration, target.chat_configuration_id);
    if (!app) {
      await this.stop(batchId, CONFIGURATION_MISSING_CODE);
      return { kind: 'skipped', reason: `chat configuration ${target.chat_configuration} does not exist` };
    }

    const request = { robotCode: target.robot_code, processQueryKey: target.process_query_key };
    const call = await this.followUp.run(app, DingTalkApi.ReadStatus, `read:${batchId}:${target.read_polls}`, target.read_polls + 1, (client, credentials) =>
      client.readStatus(credentials, request),
    );
    if (!call.ok) {
      const { failure } = call;
      return this.dataSource.transaction(async (tx) => {
        await recordUsage(tx, target.chat_configuration, { calls: 1, billableCalls: failure.billable ? 1 : 0, errors: 1 }, this.limits);
        if (failure.code === NOT_READY_CODE) {
          await this.scheduleNext(tx, batchId, NOT_READY_CODE);
          return { kind: 'not-ready' } as const;
        }
        await this.events.append(tx, [
          { sendId: target.send_id, batchId, type: ReadEventType.PollFailed, details: { code: failure.code, retryable: failure.retryable } },
        ]);
        if (failure.retryable) {
          await tx.query(
            `UPDATE batches SET read_polls = read_polls + 1, read_error_code = $2,
                    read_next_poll_at = CASE WHEN sent_at + $4 * interval '1 millisecond' > now() + $3 * interval '1 millisecond'
                                             THEN now() + $3 * interval '1 millisecond' END
              WHERE id = $1`,
            [batchId, failure.code, failure.delayMs, this.settings.windowMs],
          );
          return { kind: 'failed', code: failure.code, retryAt: 'later' } as const;
        }
        this.logger.warn(`batch ${batchId}: readStatus refused for good (${failure.code}: ${failure.message}); polling stops`);
        await tx.query(`UPDATE batches SET read_polls = read_polls + 1, read_error_code = $2, read_next_poll_at = NULL WHERE id = $1`, [
          batchId,
          failure.code,
        ]);
        return { kind: 'failed', code: failure.code, retryAt: 'never' } as const;
      });
    }
    return this.record(target, call.result);
  }

  private async record(target: PollTarget, result: ReadStatusResult): Promise<PollOutcome> {
    const read = result.messageReadInfoList.filter((i) => i.readStatus === 'READ');
    const unreadIds = result.messageReadInfoList.filter((i) => i.readStatus === 'UNREAD').map((i) => i.userId);
    return this.dataSource.transaction(async (tx) => {
      const [, newlyRead]: [unknown, number] = await tx.query(
        `UPDATE recipients r
            SET read_status = 'read', read_at = COALESCE(to_timestamp(i.ts / 1000.0), now()), updated_at = now()
           FROM unnest($2::text[], $3::bigint[]) AS i(user_id, ts)
          WHERE r.batch_id = $1 AND r.user_id = i.user_id AND r.status = $4 AND r.read_status IS DISTINCT FROM 'read'`,
        [target.id, read.map((i) => i.userId), read.map((i) => i.readTimestamp ?? null), RecipientStatus.Delivered],
      );
      await tx.query(
        `UPDATE recipients SET read_status = 'unread', updated_at = now()
          WHERE batch_id = $1 AND user_id = ANY($2) AND status = $3 AND read_status IS NULL`,
        [target.id, unreadIds, RecipientStatus.Delivered],
      );
      const [{ unread }]: { unread: number }[] = await tx.query(
        `SELECT count(*)::int AS unread FROM recipients
          WHERE batch_id = $1 AND status = $2 AND read_status IS DISTINCT FROM 'read'`,
        [target.id, RecipientStatus.Delivered],
      );
      // Nobody left to read, or nothing left to read: polling ends early.
      const done = unread === 0 || result.sendStatus === 'RECALLED';
      if (done) {
        await tx.query(
          `UPDATE batches SET read_polls = read_polls + 1, read_checked_at = now(), read_error_code = NULL, read_next_poll_at = NULL
            WHERE id = $1`,
          [target.id],
        );
      } else {
        await this.scheduleNext(tx, target.id, null, true);
      }
      await recordUsage(tx, target.chat_configuration, { calls: 1, billableCalls: 1 }, this.limits);
      await this.events.append(tx, [
        {
          sendId: target.send_id,
          batchId: target.id,
          type: ReadEventType.Polled,
          details: { sendStatus: result.sendStatus, newlyRead, unread, done, requestId: result.requestId ?? null },
        },
      ]);
      return { kind: 'polled', sendStatus: result.sendStatus, newlyRead, unread, done };
    });
  }

  /** The next offset of the schedule still ahead of now, counted from the send time; none left ends polling. */
  private async scheduleNext(tx: EntityManager, batchId: string, errorCode: string | null, checked = false): Promise<void> {
    await tx.query(
      `UPDATE batches b
          SET read_polls = read_polls + 1, read_error_code = $3,
              read_checked_at = CASE WHEN $4 THEN now() ELSE read_checked_at END,
              read_next_poll_at = (SELECT b.sent_at + min(o) * interval '1 millisecond'
                                     FROM unnest($2::bigint[]) AS o
                                    WHERE b.sent_at + o * interval '1 millisecond' > now())
        WHERE id = $1`,
      [batchId, [...this.settings.pollScheduleMs], errorCode, checked],
    );
  }

  private async stop(batchId: string, errorCode: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE batches SET read_next_poll_at = NULL, read_error_code = COALESCE($2, read_error_code) WHERE id = $1`, [
      batchId,
      errorCode,
    ]);
  }
}
