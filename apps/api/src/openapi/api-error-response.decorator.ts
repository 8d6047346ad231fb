import { applyDecorators } from '@nestjs/common';
import { ApiResponse, DECORATORS } from '@nestjs/swagger';
import { type DocumentedErrorStatus, errorResponseBody } from './error.schemas.js';

/**
 * Documents that a route can answer `status` with dingrelay's error body: the status's own named schema (its `code`
 * values), a realistic example, and Retry-After where it is sent. The body is JSON even on routes that produce CSV.
 * Only the description is the route's to write.
 */
export function ApiErrorResponse(status: DocumentedErrorStatus, description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, ...errorResponseBody(status) });
}

/**
 * The same, unless the route already documents `status` itself (a decorator listed below this one, so applied
 * before it): for decorators that add general answers, such as @Access's. (@nestjs/swagger's own
 * `overrideExisting: false` skips when the route documents any status at all, and merging would join descriptions.)
 */
export function ApiErrorResponseUnlessDocumented(status: DocumentedErrorStatus, description: string): MethodDecorator {
  const add = ApiErrorResponse(status, description);
  return (target, key, descriptor) => {
    const documented = Reflect.getMetadata(DECORATORS.API_RESPONSE, descriptor.value as object) as Record<string, unknown> | undefined;
    if (documented && String(status) in documented) return descriptor;
    return add(target, key, descriptor);
  };
}

/** Several at once: `@ApiErrorResponses({ 404: 'No such send', 409: 'Already completed' })`. */
export function ApiErrorResponses(descriptions: Partial<Record<DocumentedErrorStatus, string>>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(descriptions).map(([status, description]) => ApiErrorResponse(Number(status) as DocumentedErrorStatus, description!)),
  );
}
