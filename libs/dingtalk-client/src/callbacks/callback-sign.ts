import { createHmac, timingSafeEqual } from 'node:crypto';

/** DingTalk rejects nothing itself; receivers must refuse pushes whose `timestamp` is off by more than an hour (§9.2). */
export const DEFAULT_CALLBACK_MAX_SKEW_MS = 60 * 60 * 1000;

/**
 * The `sign` header of an HTTP-mode robot callback (spec §9.2): Base64(HMAC-SHA256(key = appSecret,
 * data = timestamp + "\n" + appSecret)), UTF-8, not URL-encoded.
 */
export function computeCallbackSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');
}

export type CallbackSignFailure = 'missing' | 'malformed-timestamp' | 'stale' | 'mismatch';

export type CallbackSignVerdict = { ok: true } | { ok: false; reason: CallbackSignFailure };

export interface VerifyCallbackSignInput {
  /** The `timestamp` header (ms since the epoch, as text). */
  timestamp: string | undefined;
  /** The `sign` header. */
  sign: string | undefined;
  appSecret: string;
  /** The receiver's clock, ms since the epoch. */
  nowMs: number;
  /** Largest accepted |now − timestamp| (default one hour). */
  maxSkewMs?: number;
}

/** Checks a callback's `timestamp` + `sign` headers; the comparison takes the same time whatever the sign. */
export function verifyCallbackSign(input: VerifyCallbackSignInput): CallbackSignVerdict {
  const { timestamp, sign } = input;
  if (!timestamp || !sign) return { ok: false, reason: 'missing' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'malformed-timestamp' };
  if (Math.abs(input.nowMs - Number(timestamp)) > (input.maxSkewMs ?? DEFAULT_CALLBACK_MAX_SKEW_MS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(computeCallbackSign(timestamp, input.appSecret), 'utf8');
  const given = Buffer.from(sign, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the work constant on a length mismatch.
  const sameLength = given.length === expected.length;
  const equal = timingSafeEqual(sameLength ? given : expected, expected);
  return sameLength && equal ? { ok: true } : { ok: false, reason: 'mismatch' };
}
