import type { IsoDateTime } from '../sends/send.responses.js';

/** DingTalk usage of one chat configuration in one month. */
export interface ConfigurationUsage {
  chatConfiguration: string;
  /** Calls that reached DingTalk, whatever the answer. */
  calls: number;
  /** Calls DingTalk charges to the monthly quota (not QPS-throttled or lost ones). */
  billableCalls: number;
  /** Users named in those calls. */
  recipients: number;
  delivered: number;
  /** Calls answered with QPS throttling or `send.too.fast`-style rate limiting. */
  throttled: number;
  errors: number;
  quota: {
    monthlyCalls: number;
    remaining: number;
    /** billableCalls / monthlyCalls. */
    usedRatio: number;
    /** True at or above the configured warning share. */
    warning: boolean;
    /** That share (`DINGTALK_QUOTA_WARNING_RATIO`, e.g. 0.8), so a client can draw the threshold. */
    warningRatio: number;
  };
  /** Deliveries held because DingTalk said the quota is spent; they resume by themselves. */
  pause: { reason: string; code: string; message: string | null; since: IsoDateTime; until: IsoDateTime } | null;
}

export interface UsageResponse {
  /** YYYY-MM. */
  month: string;
  timeZone: string;
  configurations: ConfigurationUsage[];
}
