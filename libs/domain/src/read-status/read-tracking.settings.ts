/** How the worker follows read status and carries out recalls (spec §4, §5). */
export interface ReadTrackingSettings {
  /**
   * When to poll readStatus, as offsets from the batch's send time, ascending and inside DingTalk's 24 h window.
   * Empty turns read tracking off (no polls are scheduled).
   */
  pollScheduleMs: readonly number[];
  /** How often each worker looks for due polls and open recalls; a scan that finds a full page runs again at once. */
  scanIntervalMs: number;
  /** Due batches one scan claims. */
  batchesPerScan: number;
  /** Polls one worker runs at once. */
  concurrency: number;
  /** A claimed poll or recall not finished within this long (a crashed worker) is taken up again. */
  leaseMs: number;
  /** DingTalk answers readStatus and recalls only this long after sending. */
  windowMs: number;
  /** Floor of the wait before retrying a readStatus or batchRecall that DingTalk failed transiently. */
  retryBaseDelayMs: number;
  /**
   * How long the deliveries, polls and recalls of a configuration whose secrets cannot be decrypted are held back
   * before they are tried again (deliveries with some jitter); each of them says so at most once per configuration in
   * this time. The one setting for all three: the configuration is unreadable for each alike.
   */
  unreadableConfigurationBackoffMs: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export const READ_TRACKING_SETTINGS = Symbol('READ_TRACKING_SETTINGS');

export const DINGTALK_READ_WINDOW_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_READ_POLL_SCHEDULE = '1m,10m,1h,6h,23h';

export const DEFAULT_READ_TRACKING_SETTINGS: ReadTrackingSettings = {
  pollScheduleMs: parsePollSchedule(DEFAULT_READ_POLL_SCHEDULE),
  scanIntervalMs: 1_000,
  batchesPerScan: 100,
  concurrency: 4,
  leaseMs: 60_000,
  windowMs: DINGTALK_READ_WINDOW_MS,
  retryBaseDelayMs: 1_000,
  unreadableConfigurationBackoffMs: 60_000,
};

/**
 * Parses `READ_STATUS_POLL_SCHEDULE`: comma-separated durations such as `1m,10m,1h,6h,23h` or `200ms,400ms`
 * (units ms, s, m, h), strictly ascending and under 24 h. `off` (or an empty string) means no polls. Throws an Error
 * saying what is wrong.
 */
export function parsePollSchedule(text: string, windowMs = DINGTALK_READ_WINDOW_MS): number[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'off') return [];
  const offsets = trimmed.split(',').map((part) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(part.trim());
    if (!match) throw new Error(`"${part.trim()}" is not a duration like 200ms, 30s, 10m or 6h`);
    return Number(match[1]) * UNIT_MS[match[2]!]!;
  });
  offsets.forEach((ms, i) => {
    if (ms <= 0) throw new Error('every poll must come after the send (> 0)');
    if (ms >= windowMs) throw new Error("every poll must fall inside DingTalk's 24 h readStatus window");
    if (i > 0 && ms <= offsets[i - 1]!) throw new Error('polls must be in ascending order');
  });
  return offsets;
}
