import { randomInt } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DingTalkLimits } from './dingtalk-limits.js';

/** Counter rows per configuration and month; a write picks one at random so concurrent settlements rarely meet. */
export const USAGE_SHARDS = 8;

export interface UsageDelta {
  calls: number;
  billableCalls: number;
  recipients: number;
  delivered: number;
  throttled: number;
  errors: number;
}

const logger = new Logger('DingTalkUsage');

/**
 * Counts one DingTalk call in the transaction that records its outcome, so the meter can never disagree with the
 * recipients it produced. Logs once when the month's billable calls cross the warning share of the quota.
 */
export async function recordUsage(
  tx: EntityManager,
  chatConfiguration: string,
  delta: Partial<UsageDelta>,
  limits: DingTalkLimits,
): Promise<void> {
  const d: UsageDelta = { calls: 0, billableCalls: 0, recipients: 0, delivered: 0, throttled: 0, errors: 0, ...delta };
  const [row]: { total: string }[] = await tx.query(
    `WITH up AS (
       INSERT INTO dingtalk_usage AS u (chat_configuration, month, shard, calls, billable_calls, recipients, delivered, throttled, errors)
       VALUES ($1, date_trunc('month', now() AT TIME ZONE $2)::date, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (chat_configuration, month, shard) DO UPDATE
          SET calls = u.calls + EXCLUDED.calls, billable_calls = u.billable_calls + EXCLUDED.billable_calls,
              recipients = u.recipients + EXCLUDED.recipients, delivered = u.delivered + EXCLUDED.delivered,
              throttled = u.throttled + EXCLUDED.throttled, errors = u.errors + EXCLUDED.errors
       RETURNING month, billable_calls)
     -- The upsert's own result is only visible through RETURNING; the other shards are read as of this statement.
     SELECT (SELECT billable_calls FROM up)
            + (SELECT coalesce(sum(billable_calls), 0) FROM dingtalk_usage
                WHERE chat_configuration = $1 AND month = (SELECT month FROM up) AND shard <> $3)
            AS total`,
    [chatConfiguration, limits.quotaTimeZone, randomInt(USAGE_SHARDS), d.calls, d.billableCalls, d.recipients, d.delivered, d.throttled, d.errors],
  );
  if (!row || d.billableCalls === 0) return;
  const total = Number(row.total);
  const threshold = Math.ceil(limits.monthlyCallQuota * limits.quotaWarningRatio);
  if (total >= threshold && total - d.billableCalls < threshold) {
    logger.warn(
      `chat configuration ${chatConfiguration} has used ${total} of its ${limits.monthlyCallQuota} DingTalk calls this month ` +
        `(warning at ${Math.round(limits.quotaWarningRatio * 100)}%)`,
    );
  }
}
