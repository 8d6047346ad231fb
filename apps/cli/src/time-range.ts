import { type OptionSpecs, type OptionValues, stringOption } from './args.js';
import { UsageError } from './exit-codes.js';

/** `--from` / `--to`, as `history`, `export`, `inbound` and `audit` take them. */
export const TIME_RANGE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
} as const satisfies OptionSpecs;

/** The help lines; `what` is the event the range is about (`created`, `sent`, …), `column` where descriptions start. */
export function timeRangeHelp(what: string, column = 29): string {
  const line = (flag: string, text: string) => `  ${flag}`.padEnd(column) + text;
  return [
    line('--from <date|time>', `${what} at or after: a date (YYYY-MM-DD, from its local midnight) or an ISO-8601`),
    line('', 'timestamp with offset (2026-11-01T09:30:00+08:00)'),
    line('--to <date|time>', `${what} before (exclusive); a date means up to the end of that day (the next local midnight)`),
  ].join('\n');
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * One end of a range as the API takes it. A timestamp is passed on as given (the API checks it and names the field
 * if it is wrong). A plain date is a day in this machine's time zone: `--from 2026-11-01` starts at its local
 * midnight, and `--to 2026-11-30` ends at the next local midnight, so the 30th is included, as a person means it.
 */
export function timeBound(text: string, end: 'from' | 'to'): string {
  const match = PLAIN_DATE.exec(text.trim());
  if (!match) return text;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const start = new Date(year, month, day);
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== day) {
    throw new UsageError(`--${end} "${text}" is not a calendar date (YYYY-MM-DD)`);
  }
  return isoWithOffset(end === 'from' ? start : new Date(year, month, day + 1));
}

/** `--from` / `--to` read, dates turned into timestamps. */
export function timeRange(values: OptionValues): { from?: string; to?: string } {
  const from = stringOption(values, 'from');
  const to = stringOption(values, 'to');
  return { from: from === undefined ? undefined : timeBound(from, 'from'), to: to === undefined ? undefined : timeBound(to, 'to') };
}

/** Local time with its offset, e.g. `2026-11-01T00:00:00+08:00`: the instant exactly, and readable as the day meant. */
function isoWithOffset(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
  );
}

/** The same, named as the history and inbound filters name them. */
export function createdRange(values: OptionValues): { createdFrom?: string; createdTo?: string } {
  const { from, to } = timeRange(values);
  return { createdFrom: from, createdTo: to };
}
