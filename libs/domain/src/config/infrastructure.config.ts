import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { LOG_FORMATS, LOG_LEVEL_NAMES, type LogFormat, type LogLevelName } from '../logging/app-logger.js';

/**
 * Variables every dingrelay process needs to reach Postgres and Redis. Each app's own config class extends this one,
 * so an app is still configured by exactly one class.
 */
export class InfrastructureConfig {
  /**
   * The runtime role the apps connect as: it may read and write what they need, never change the schema or an audit
   * event. `npm start` and the test kit create it; elsewhere the operator does (README: "Least privilege in Postgres").
   */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://dingrelay_app@127.0.0.1:5432/dingrelay';

  /**
   * The schema owner, for migrations only: when set, the process applies pending migrations as this role at start
   * (granting DATABASE_URL's role its privileges) and closes the connection. Unset, it only checks that none is
   * pending. Give it to one deployable (or to `npm run db:migrate`), not to every process.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_MIGRATION_URL?: string;

  /**
   * `true` lets the apps run as a role that could rewrite the audit log or the schema (a superuser, the tables'
   * owner), with a warning at each start. For a deliberate exception only: the audit log is then tamper-evident,
   * not tamper-proof.
   */
  @Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const value = obj[key];
    return typeof value === 'string' && /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === 'true' : value;
  })
  @IsBoolean({ message: 'must be true or false' })
  DATABASE_ALLOW_PRIVILEGED_ROLE = false;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'must be 1-64 letters, digits, colons, dashes or underscores' })
  QUEUE_PREFIX = 'dingrelay';

  /** `json`: one JSON object per line on stdout (production); `text`: Nest's coloured console lines (local dev). */
  @IsIn(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT: LogFormat = 'json';

  /** The most verbose level logged; each includes the ones before it: error, warn, log, debug, verbose. */
  @IsIn(LOG_LEVEL_NAMES, { message: `must be one of ${LOG_LEVEL_NAMES.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'log';

  /**
   * On SIGTERM or SIGINT: how long in-flight jobs and requests may take to finish before the process exits anyway
   * (then with a non-zero code, leaving what is still running to the stalled-job recovery).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /** /health/ready reports a dependency down when its check takes longer than this. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  HEALTH_CHECK_TIMEOUT_MS = 2_000;
}

/** host:port of a connection URL, for error messages that must not echo credentials. */
export function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
