import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  ChatConfigurationsConfig,
  DEFAULT_READ_POLL_SCHEDULE,
  parsePollSchedule,
  type ReadTrackingSettings,
} from '@dingrelay/domain';

@ValidatorConstraint({ name: 'exceedsDingTalkTimeout' })
class ExceedsDingTalkTimeout implements ValidatorConstraintInterface {
  validate(value: number, args: ValidationArguments): boolean {
    return value > (args.object as WorkerConfig).DINGTALK_TIMEOUT_MS;
  }

  defaultMessage(): string {
    return 'must be greater than DINGTALK_TIMEOUT_MS, or jobs still waiting on DingTalk are taken for dead';
  }
}

@ValidatorConstraint({ name: 'validPollSchedule' })
class ValidPollSchedule implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    if (typeof value !== 'string') {
      this.problem = 'must be a string';
      return false;
    }
    try {
      parsePollSchedule(value);
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }

  defaultMessage(): string {
    return `must list poll offsets like 1m,10m,1h,6h,23h (or off): ${this.problem}`;
  }
}

/** Everything the worker process reads from its environment, validated once at boot. */
export class WorkerConfig extends ChatConfigurationsConfig {
  /** The ops port (health, metrics); no public API listens here. `0` picks a free port (tests, several workers). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HTTP_PORT = 3001;

  /** Loopback by default: only the machine's own probes and scrapers reach it unless told otherwise. */
  @IsString()
  @IsNotEmpty()
  WORKER_HTTP_HOST = '127.0.0.1';

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

  /**
   * Finished sends older than this many days lose their per-recipient detail (recipients, batches' user lists);
   * their counts, timeline and the audit log stay. At least 2: read status and recall work for 24 h after a send.
   */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(36_500)
  RECIPIENT_RETENTION_DAYS = 400;

  /** How often the retention purge runs (one run per interval across all workers). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(604_800_000)
  RETENTION_INTERVAL_MS = 3_600_000;

  /**
   * When to poll DingTalk readStatus after a batch is delivered: offsets from its send time (ms, s, m, h), ascending,
   * under 24 h. Polling stops early once every recipient of the batch has read. `off` disables read tracking.
   */
  @Validate(ValidPollSchedule)
  READ_STATUS_POLL_SCHEDULE = DEFAULT_READ_POLL_SCHEDULE;

  /** How often each worker looks for due readStatus polls and requested recalls. */
  @Type(() => Number)
  @IsInt()
  @Min(20)
  @Max(600_000)
  READ_RECALL_SCAN_INTERVAL_MS = 1_000;

  /**
   * A chat configuration whose secrets cannot be decrypted (its key missing from SECRET_ENCRYPTION_KEYS) holds back
   * its deliveries, read polls and recalls for this long before they try again, logging once per back-off.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  UNREADABLE_CONFIGURATION_BACKOFF_MS = 60_000;

  /**
   * Signs the audit digests this worker publishes (HMAC-SHA256). Required in production (NODE_ENV=production);
   * elsewhere, unset, no digest is published. Keep it outside the database, like the digests themselves.
   */
  @ValidateIf((c: WorkerConfig & { NODE_ENV?: string }) => c.NODE_ENV === 'production' || c.AUDIT_DIGEST_KEY !== undefined)
  @IsString({ message: 'is required in production: generate one with openssl rand -base64 32' })
  @MinLength(32, { message: 'must be at least 32 characters (openssl rand -base64 32)' })
  AUDIT_DIGEST_KEY?: string;

  /** How often the worker publishes a signed audit digest (also once at start). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  AUDIT_DIGEST_INTERVAL_MS = 600_000;

  /** A file each digest is appended to, one JSON document a line (created readable by this user only). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  AUDIT_DIGEST_FILE?: string;

  /** A URL each digest is POSTed to as JSON (a log collector, an object store's presigned endpoint, …). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  AUDIT_DIGEST_URL?: string;

  readTracking(): Partial<ReadTrackingSettings> {
    return {
      pollScheduleMs: parsePollSchedule(this.READ_STATUS_POLL_SCHEDULE),
      scanIntervalMs: this.READ_RECALL_SCAN_INTERVAL_MS,
      unreadableConfigurationBackoffMs: this.UNREADABLE_CONFIGURATION_BACKOFF_MS,
    };
  }
}
