import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { API_KEY_FORMAT_DESCRIPTION, ChatConfigurationsConfig } from '@dingrelay/domain';

/** Everything the API process reads from its environment, validated once at boot. */
export class ApiConfig extends ChatConfigurationsConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  @IsString()
  @IsNotEmpty()
  API_HOST = '127.0.0.1';

  /** Large enough for 100,000 userIds of up to 64 characters each. */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 10mb or 512kb' })
  API_BODY_LIMIT = '8mb';

  /** Where DingTalk reaches this API from outside: the base of each configuration's callback URL. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL such as https://relay.example.com' })
  PUBLIC_BASE_URL?: string;

  publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://${this.API_HOST}:${this.API_PORT}`).replace(/\/+$/, '');
  }

  /** Stored (hashed) as the first admin key at start-up when no active admin key exists; ignored otherwise. */
  @IsOptional()
  @Matches(/^drk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, { message: `must be ${API_KEY_FORMAT_DESCRIPTION} (npm run api-key:create prints one)` })
  BOOTSTRAP_ADMIN_API_KEY?: string;

  /** Requests per second each API key may make on average… */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  API_KEY_RATE_LIMIT_PER_SECOND = 50;

  /** …and how many it may make at once above that pace. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  API_KEY_RATE_LIMIT_BURST = 100;

  /**
   * On SIGTERM: how long the API goes on accepting and answering requests, with /health/ready already 503, before it
   * stops accepting. Behind a load balancer this covers the time it takes to notice the 503 (or for an orchestrator's
   * endpoint removal to reach it), so no request meets a closed port; the drain (SHUTDOWN_TIMEOUT_MS) comes after.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_DELAY_MS = 0;

  /**
   * `true` opens GET /metrics to anyone who reaches the API (a scraper inside a private network); by default it needs
   * an admin or auditor key (Prometheus: `authorization: {credentials: <key>}`).
   */
  @Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => parseBoolean(obj[key]))
  @IsBoolean({ message: 'must be true or false' })
  METRICS_PUBLIC = false;

  /**
   * History exports one API process streams at once; another is answered 429 until one ends. Each holds one of the
   * process's DATABASE_POOL_SIZE connections for as long as its download takes, so keep it well below that.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  EXPORTS_AT_ONCE = 2;

  /**
   * Of those, how many one API key may stream at once (an admin's too): one key opening exports it never reads
   * cannot take every place. Above EXPORTS_AT_ONCE it changes nothing.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  EXPORTS_PER_KEY = 1;

  /**
   * An export whose client accepts no bytes for this long is cut and its place given back. Progress is measured as
   * bytes the socket takes, so a slow reader is not cut; a client that stops reading is.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  EXPORT_IDLE_TIMEOUT_MS = 30_000;

  /**
   * How long a download link (`POST /v1/exports/links`) can be used, once: long enough for a browser to start the
   * download it was made for, short enough that a link seen later (history, a shared screen) is worth nothing.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  EXPORT_LINK_TTL_MS = 60_000;

  /**
   * `true` shows Bull's queues at /admin/queues without the actions that change them (retry, clean, promote, pause,
   * resume): a global pause there stops every worker until someone resumes it.
   */
  @Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => parseBoolean(obj[key]))
  @IsBoolean({ message: 'must be true or false' })
  QUEUE_DASHBOARD_READ_ONLY = false;

  /**
   * Largest accepted |now − timestamp| of a signed DingTalk callback. DingTalk allows one hour (spec §9.2); the window
   * is how long a captured signature is worth anything, so dingrelay's default is 5 minutes (clocks synchronised by
   * NTP differ by far less). At most DingTalk's hour.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  CALLBACK_MAX_SKEW_MS = 300_000;

  /**
   * Largest body of a DingTalk push, in bytes (the callbacks take no API key). 256 kB holds the longest text allowed
   * below even with every character \u-escaped, and every other §9.1 field.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(8 * 1024 * 1024)
  CALLBACK_MAX_BODY_BYTES = 262_144;

  /** Longest `text.content` of a pushed robot message, in characters (code points). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CALLBACK_MAX_TEXT_LENGTH = 20_000;

  /**
   * The key the worker signs audit digests with (AUDIT_DIGEST_KEY): given here too, `GET /v1/audit-events/verify`
   * checks a digest's signature as well as the chain; unset, it reports the signature unchecked.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (openssl rand -base64 32)' })
  AUDIT_DIGEST_KEY?: string;

  /**
   * The web console's built files (`npm run build` puts them in apps/console/dist), served at /console. Relative
   * paths are taken from the working directory; unset, the folder next to this app's build in the repository (or image).
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  CONSOLE_DIR?: string;
}

/** `true`/`false` (any case) as booleans; anything else is left for the validator to refuse. */
function parseBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}
