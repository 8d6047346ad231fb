import type { ValidationError } from 'class-validator';
import type { ApiErrorDetail } from './api-error.js';
import { DETAIL_LIST_CONSTRAINTS, decodeDetailList } from './detail-list-message.js';
import { appendFieldPath } from './field-path.js';

/**
 * Flattens class-validator errors into the API's details: one per failed constraint, `field` being the dotted
 * path from the validated object (`userIds`, `msgParam.title`, `items.2.name`, `msgParam["odd key"]`).
 * Constraints that report several problems at once (the userIds and msgParam rules) come back as one detail
 * per problem. Accepts the plain objects NestJS's ValidationPipe sometimes builds in place of ValidationError.
 */
export function toApiErrorDetails(errors: readonly ValidationError[]): ApiErrorDetail[] {
  const details: ApiErrorDetail[] = [];
  collect(errors, undefined, details);
  return details;
}

function collect(errors: readonly ValidationError[], parentPath: string | undefined, out: ApiErrorDetail[]): void {
  for (const error of errors) {
    // A whole-value error (e.g. class-validator's `unknownValue` on a non-object) has no property of its own.
    const hasProperty = error.property !== undefined && error.property !== null;
    const property = hasProperty ? appendFieldPath(undefined, error.property) : undefined;
    const path = property === undefined ? (parentPath ?? '') : appendFieldPath(parentPath, error.property);
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      if (property !== undefined && DETAIL_LIST_CONSTRAINTS.has(name)) {
        out.push(...decodeDetailList(message, property, parentPath, path));
      } else {
        out.push({ field: path, message });
      }
    }
    if (error.children && error.children.length > 0) collect(error.children, path, out);
  }
}
