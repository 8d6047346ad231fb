import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsString, Max, Min } from 'class-validator';
import { type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { InfrastructureConfig } from './infrastructure.config.js';

/** DingTalk entitlement variables, read by both the API (progress, usage) and the worker (pacing, warnings). */
export class DingTalkLimitsConfig extends InfrastructureConfig {
  /** Per app, per API; 20 on DingTalk's standard edition, 60 with the QPS add-on. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.1)
  @Max(1000)
  DINGTALK_CALLS_PER_SECOND = 20;

  /** Share of DINGTALK_CALLS_PER_SECOND actually used, leaving room for network jitter. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.1)
  @Max(1)
  DINGTALK_PACE_UTILIZATION = 0.9;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  DINGTALK_MONTHLY_CALL_QUOTA = 5_000;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  DINGTALK_QUOTA_WARNING_RATIO = 0.8;

  @IsString()
  DINGTALK_QUOTA_TIME_ZONE = 'Asia/Shanghai';

  dingTalkLimits(): DingTalkLimits {
    return {
      callsPerSecond: this.DINGTALK_CALLS_PER_SECOND,
      paceUtilization: this.DINGTALK_PACE_UTILIZATION,
      monthlyCallQuota: this.DINGTALK_MONTHLY_CALL_QUOTA,
      quotaWarningRatio: this.DINGTALK_QUOTA_WARNING_RATIO,
      quotaTimeZone: this.DINGTALK_QUOTA_TIME_ZONE,
    };
  }
}
