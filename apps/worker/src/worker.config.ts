import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DingTalkLimitsConfig } from '@dingrelay/domain';

@ValidatorConstraint({ name: 'exceedsDingTalkTimeout' })
class ExceedsDingTalkTimeout implements ValidatorConstraintInterface {
  validate(value: number, args: ValidationArguments): boolean {
    return value > (args.object as WorkerConfig).DINGTALK_TIMEOUT_MS;
  }

  defaultMessage(): string {
    return 'must be greater than DINGTALK_TIMEOUT_MS, or jobs still waiting on DingTalk are taken for dead';
  }
}

/** Everything the worker process reads from its environment, validated once at boot. */
export class WorkerConfig extends DingTalkLimitsConfig {
  /** Real DingTalk by default; development and tests point this at the simulator. */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  DINGTALK_BASE_URL = 'https://api.dingtalk.com';

  @IsString()
  @IsNotEmpty({ message: "must be set to the DingTalk app's Client ID (AppKey)" })
  DINGTALK_APP_KEY!: string;

  @IsString()
  @IsNotEmpty({ message: "must be set to the DingTalk app's Client Secret (AppSecret)" })
  DINGTALK_APP_SECRET!: string;

  @IsString()
  @IsNotEmpty({ message: 'must be set to the robotCode of the DingTalk robot that sends' })
  DINGTALK_ROBOT_CODE!: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DINGTALK_TIMEOUT_MS = 10_000;

  /** Batches delivered at once by this process. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_CONCURRENCY = 8;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DELIVERY_MAX_ATTEMPTS = 8;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  FLOW_CONTROL_MAX_ATTEMPTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  FLOW_CONTROL_BASE_DELAY_MS = 2_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  RETRY_BASE_DELAY_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  RECONCILE_INTERVAL_MS = 30_000;

  /** Open batches untouched this long without a live job are enqueued again (after Redis lost its jobs). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  RECONCILE_AFTER_MS = 60_000;

  /**
   * A job whose worker died is taken up again after about this long. Keep it above DINGTALK_TIMEOUT_MS, or jobs still
   * waiting on DingTalk are taken for dead and their calls become ambiguous.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5_000)
  @Max(600_000)
  @Validate(ExceedsDingTalkTimeout)
  STALLED_JOB_TIMEOUT_MS = 30_000;
}
