import { HttpStatus } from '@nestjs/common';
import { ApiErrorCode } from '@dingrelay/contracts';
import { ApiException } from './api.exception.js';

/**
 * A query parameter read with `@Query(name)` outside a validated query class: Express hands over an array when it is
 * given twice (`?a=1&a=2`) and an object for bracket syntax (`?a[b]=1`), whatever the parameter's TypeScript type
 * says. Anything but one string (or none) is a 400 naming the parameter, not a value for the code after it.
 */
export function singleQueryValue(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const message = `${name} must be given once, as a plain string`;
  throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `Invalid request: ${message}`, [{ field: name, message }]);
}
