import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { configurationLimits } from '../chat-configurations/configuration-limits.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from './dingtalk-limits.js';

export interface DeliveryPauseView {
  reason: string;
  code: string;
  message: string | null;
  since: Date;
  until: Date;
}

export interface ConfigurationUsageView {
  chatConfiguration: string;
  calls: number;
  billableCalls: number;
  recipients: number;
  delivered: number;
  throttled: number;
  errors: number;
  quota: { monthlyCalls: number; remaining: number; usedRatio: number; warning: boolean; warningRatio: number };
  pause: DeliveryPauseView | null;
}

export interface UsageView {
  /** YYYY-MM, in the quota's time zone. */
  month: string;
  timeZone: string;
  configurations: ConfigurationUsageView[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** DingTalk calls per chat configuration for one calendar month, against the quota, with any delivery pause. */
@Injectable()
export class GetUsageUseCase {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DINGTALK_LIMITS_SETTINGS) private readonly limits: DingTalkLimits,
  ) {}

  async execute(query: { month?: string; include?: readonly string[] } = {}): Promise<UsageView> {
    if (query.month !== undefined && !MONTH.test(query.month)) throw new InvalidInputError('month', 'must be YYYY-MM');
    const [{ month }]: { month: string }[] = await this.dataSource.query(
      `SELECT to_char(coalesce(to_date($1, 'YYYY-MM'), date_trunc('month', now() AT TIME ZONE $2)::date), 'YYYY-MM') AS month`,
      [query.month ?? null, this.limits.quotaTimeZone],
    );
    const rows: (Record<'calls' | 'billable_calls' | 'recipients' | 'delivered' | 'throttled' | 'errors', string> & {
      chat_configuration: string;
    })[] = await this.dataSource.query(
      `SELECT chat_configuration, sum(calls) AS calls, sum(billable_calls) AS billable_calls, sum(recipients) AS recipients,
              sum(delivered) AS delivered, sum(throttled) AS throttled, sum(errors) AS errors
         FROM dingtalk_usage WHERE month = to_date($1, 'YYYY-MM')
        GROUP BY chat_configuration`,
      [month],
    );
    const pauses: { chat_configuration: string; reason: string; code: string; message: string | null; paused_since: Date; paused_until: Date }[] =
      await this.dataSource.query(`SELECT * FROM delivery_pauses WHERE paused_until > now()`);

    const names = [...new Set([...(query.include ?? []), ...rows.map((r) => r.chat_configuration), ...pauses.map((p) => p.chat_configuration)])].sort();
    // Each configuration against its own app's quota (its override, else DINGTALK_MONTHLY_CALL_QUOTA).
    const limitsByName = await configurationLimits(this.dataSource, names, this.limits);
    return {
      month,
      timeZone: this.limits.quotaTimeZone,
      configurations: names.map((name) => {
        const row = rows.find((r) => r.chat_configuration === name);
        const pause = pauses.find((p) => p.chat_configuration === name);
        const billable = Number(row?.billable_calls ?? 0);
        const quota = (limitsByName.get(name) ?? this.limits).monthlyCallQuota;
        return {
          chatConfiguration: name,
          calls: Number(row?.calls ?? 0),
          billableCalls: billable,
          recipients: Number(row?.recipients ?? 0),
          delivered: Number(row?.delivered ?? 0),
          throttled: Number(row?.throttled ?? 0),
          errors: Number(row?.errors ?? 0),
          quota: {
            monthlyCalls: quota,
            remaining: Math.max(0, quota - billable),
            usedRatio: Math.round((billable / quota) * 10_000) / 10_000,
            warning: billable >= quota * this.limits.quotaWarningRatio,
            warningRatio: this.limits.quotaWarningRatio,
          },
          pause: pause
            ? { reason: pause.reason, code: pause.code, message: pause.message, since: pause.paused_since, until: pause.paused_until }
            : null,
        };
      }),
    };
  }
}
