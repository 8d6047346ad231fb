import { NotFoundError } from '../errors/domain.error.js';

/** A UUID in its canonical text form, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID in its canonical text form (any case): our ids, and the ids inside our page tokens. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** An id that is not even a UUID names no send: the same 404 as an unknown one, and never a database cast error. */
export function sendIdOrNotFound(id: string): string {
  if (!isUuid(id)) throw new NotFoundError('Send', id);
  return id.toLowerCase();
}
