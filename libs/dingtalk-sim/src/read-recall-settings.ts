/**
 * Switches of readStatus (spec §4) and batchRecall (spec §5): when simulated users read, how long a message's read
 * data is "not generated yet", the 24 h window and a clock offset to get past it without waiting, the documented
 * `SUCESS` spelling, and recall failures per processQueryKey.
 */
export interface ReadRecallSettings {
  /** Delivered users read this long after the message was accepted; null = only when a test marks them read. */
  readAfterMs: number | null;
  /** Share of delivered users (stable per user and message) that read once `readAfterMs` has passed. */
  readFraction: number;
  /** readStatus answers `processQueryKey.expireTime` for this long after sending (data "not generated yet"). */
  notReadyMs: number;
  /** After that, readStatus answers `sendStatus: PROCESSING` (everyone unread) until this long after sending. */
  processingMs: number;
  /** How long after sending readStatus and batchRecall still work (DingTalk: 24 h). */
  windowMs: number;
  /** Added to the clock when judging a message's age: puts every message past the window without waiting. */
  clockOffsetMs: number;
  /** Answer `sendStatus: "SUCESS"`, the spelling of DingTalk's own doc and SDK examples. */
  sucessTypo: boolean;
  /** Include `readTimestamp` for read users; DingTalk documents it as "not supported yet", so off by default. */
  readTimestamps: boolean;
  /** processQueryKey → reason answered in batchRecall's `failedResult` (e.g. `SYSTEM_ERROR`). */
  recallFailures: Readonly<Record<string, string>>;
  /** Above this many keys in one batchRecall → `invalidParameter.processQueryKeys.overMax`. */
  maxRecallKeys: number;
}

export type ReadRecallConfig = Partial<ReadRecallSettings>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_READ_RECALL_SETTINGS: ReadRecallSettings = {
  readAfterMs: null,
  readFraction: 1,
  notReadyMs: 0,
  processingMs: 0,
  windowMs: DAY_MS,
  clockOffsetMs: 0,
  sucessTypo: false,
  readTimestamps: false,
  recallFailures: {},
  maxRecallKeys: 20,
};

const KEYS = Object.keys(DEFAULT_READ_RECALL_SETTINGS);

/** `fail` builds the config error (the caller's SimConfigError; taking it avoids an import cycle with the config). */
export function parseReadRecallSettings(value: unknown, fail: (message: string) => Error): ReadRecallSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('readRecall: expected an object');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) throw fail(`readRecall: unknown key "${key}"`);
  const s: ReadRecallSettings = { ...DEFAULT_READ_RECALL_SETTINGS };
  const number = (key: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw fail(`readRecall.${key}: expected a number in [${min}, ${max}]`);
    }
    return v;
  };
  const bool = (key: string): boolean => {
    if (typeof o[key] !== 'boolean') throw fail(`readRecall.${key}: expected a boolean`);
    return o[key] as boolean;
  };
  if (o.readAfterMs !== undefined) s.readAfterMs = o.readAfterMs === null ? null : number('readAfterMs', 0);
  if (o.readFraction !== undefined) s.readFraction = number('readFraction', 0, 1);
  if (o.notReadyMs !== undefined) s.notReadyMs = number('notReadyMs', 0);
  if (o.processingMs !== undefined) s.processingMs = number('processingMs', 0);
  if (o.windowMs !== undefined) s.windowMs = number('windowMs', 1);
  if (o.clockOffsetMs !== undefined) s.clockOffsetMs = number('clockOffsetMs', Number.MIN_SAFE_INTEGER);
  if (o.sucessTypo !== undefined) s.sucessTypo = bool('sucessTypo');
  if (o.readTimestamps !== undefined) s.readTimestamps = bool('readTimestamps');
  if (o.maxRecallKeys !== undefined) {
    if (!Number.isSafeInteger(o.maxRecallKeys) || (o.maxRecallKeys as number) < 1) {
      throw fail('readRecall.maxRecallKeys: expected an integer >= 1');
    }
    s.maxRecallKeys = o.maxRecallKeys as number;
  }
  if (o.recallFailures !== undefined) {
    const f = o.recallFailures;
    if (typeof f !== 'object' || f === null || Array.isArray(f) || Object.values(f).some((r) => typeof r !== 'string' || r === '')) {
      throw fail('readRecall.recallFailures: expected an object of processQueryKey → non-empty reason');
    }
    s.recallFailures = { ...(f as Record<string, string>) };
  }
  return s;
}
