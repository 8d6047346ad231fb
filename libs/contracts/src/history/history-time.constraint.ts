import { type ValidationOptions, registerDecorator } from 'class-validator';

// A date and time with an explicit offset: without one, "10:00" would mean whatever the server's zone is.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** True for an existing instant written as ISO-8601 with a `Z` or `±hh:mm` offset, e.g. `2026-11-01T00:00:00+08:00`. */
export function isIsoDateTimeWithOffset(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, oh, om] = m.map(Number) as number[];
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return (
    mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && (s === undefined || Number.isNaN(s) || s <= 59) &&
    (oh === undefined || Number.isNaN(oh) || (oh <= 18 && om! <= 59)) && y! >= 1970 && y! <= 9999
  );
}

export function IsIsoDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateTimeWithOffset',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be an ISO-8601 date and time with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00',
        ...options,
      },
      validator: { validate: isIsoDateTimeWithOffset },
    });
}
