import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { encodeDetailList } from '../errors/detail-list-message.js';
import { appendFieldPath, describeJsonType } from '../errors/field-path.js';

/** Most recipients one send may name; the server splits them into DingTalk batches. */
export const MAX_RECIPIENTS_PER_SEND = 100_000;
/** Longest userId accepted, in characters (code points, as a Postgres `varchar` counts them). */
export const MAX_USER_ID_LENGTH = 64;
/** Bad entries reported one by one; the rest are counted, so 100,000 bad ids do not make a 100,000-line error. */
export const MAX_REPORTED_USER_ID_PROBLEMS = 10;

/**
 * Whitespace, control characters, invisible format characters (zero-width space, BOM, bidi marks) and lone
 * surrogates: none occurs in a real DingTalk userId, all come from copy-paste or encoding accidents, and a lone
 * surrogate would be silently rewritten on its way to Postgres as UTF-8.
 */
const FORBIDDEN_IN_USER_ID = /[\s\p{Cc}\p{Cf}\p{Cs}]/u;

function describeUserIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== 'string') return `must be a string, got ${describeJsonType(userId)}`;
  if (userId.length === 0) return 'must not be empty';
  // Code units bound code points from above, so the costlier count only runs for long strings.
  if (userId.length > MAX_USER_ID_LENGTH) {
    const codePoints = [...userId].length;
    if (codePoints > MAX_USER_ID_LENGTH) {
      return `must be at most ${MAX_USER_ID_LENGTH} characters, got ${codePoints}`;
    }
  }
  if (FORBIDDEN_IN_USER_ID.test(userId)) return 'must not contain whitespace, control or invisible characters';
  return undefined;
}

/**
 * Every problem with a userIds value, in one pass over the list. `@IsString({ each: true })` and friends run one
 * pass per decorator and cannot say which entry failed; this names the first offending indices.
 */
export function checkUserIdList(value: unknown, path = 'userIds'): ApiErrorDetail[] {
  const detail = (field: string, message: string): ApiErrorDetail => ({ field, message: `${field} ${message}` });
  if (value === undefined || value === null) return [detail(path, 'is required and must be an array of userIds')];
  if (!Array.isArray(value)) return [detail(path, `must be an array of userIds, got ${describeJsonType(value)}`)];
  if (value.length === 0) return [detail(path, 'must contain at least 1 userId')];

  const details: ApiErrorDetail[] = [];
  if (value.length > MAX_RECIPIENTS_PER_SEND) {
    details.push(detail(path, `must contain at most ${MAX_RECIPIENTS_PER_SEND} userIds, got ${value.length}`));
  }
  let unreported = 0;
  for (let i = 0; i < value.length; i++) {
    const problem = describeUserIdProblem(value[i]);
    if (problem === undefined) continue;
    if (details.length < MAX_REPORTED_USER_ID_PROBLEMS) details.push(detail(appendFieldPath(path, i), problem));
    else unreported++;
  }
  if (unreported > 0) details.push(detail(path, `has ${unreported} more invalid entries that are not listed`));
  return details;
}

/**
 * A userIds list: 1 to MAX_RECIPIENTS_PER_SEND entries, each a non-empty string of at most MAX_USER_ID_LENGTH
 * characters without whitespace or control characters. Duplicates are allowed (the server removes them).
 */
export function IsUserIdList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isUserIdList',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => checkUserIdList(value).length === 0,
        defaultMessage: (args: ValidationArguments) =>
          encodeDetailList(checkUserIdList(args.value, appendFieldPath(undefined, args.property))),
      },
    });
  };
}
