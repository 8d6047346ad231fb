/**
 * What DingTalk allows one app, as this deployment is entitled to it (spec §8.1): 20 calls/s per API on the
 * standard edition (60 with the add-on), and a monthly call quota (5,000 on the standard edition).
 */
export interface DingTalkLimits {
  /** DingTalk's per-app, per-API limit. */
  callsPerSecond: number;
  /**
   * Share of `callsPerSecond` the pacer uses. Calls leave evenly spaced but arrive with network jitter, which can
   * squeeze 21 into one of DingTalk's 1 s windows; the margin keeps normal operation free of QPS throttling.
   */
  paceUtilization: number;
  monthlyCallQuota: number;
  /** Share of the monthly quota at which usage is flagged and a warning is logged. */
  quotaWarningRatio: number;
  /** The quota resets with the calendar month in DingTalk's time zone. */
  quotaTimeZone: string;
}

export const DEFAULT_DINGTALK_LIMITS: DingTalkLimits = {
  callsPerSecond: 20,
  paceUtilization: 0.9,
  monthlyCallQuota: 5_000,
  quotaWarningRatio: 0.8,
  quotaTimeZone: 'Asia/Shanghai',
};

/** Injection token for the DingTalkLimits in force. */
export const DINGTALK_LIMITS_SETTINGS = Symbol('DINGTALK_LIMITS_SETTINGS');

/** Calls per second the pacer actually allows one app on one API. */
export function pacedCallsPerSecond(limits: DingTalkLimits): number {
  return limits.callsPerSecond * limits.paceUtilization;
}
