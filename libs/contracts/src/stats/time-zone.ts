/**
 * An IANA time zone name of the form Area/Location (`Asia/Shanghai`, `America/Argentina/Buenos_Aires`, `Etc/GMT-8`),
 * or `UTC`, that this runtime knows. Offsets (`+08:00`), POSIX rules (`UTC+8`, which means UTC−8) and bare names such
 * as `CET` or `CST` are refused: a bare name is an abbreviation to some software (Postgres reads `CET` as a fixed
 * +01:00 all year) and a zone with daylight saving time to others, or unknown.
 * (A module without validation decorators, so a client can check a zone before asking.)
 */
const IANA_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/i;
const MAX_TIME_ZONE_LENGTH = 64;

export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_TIME_ZONE_LENGTH || !IANA_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
