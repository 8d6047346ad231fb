import { HttpStatus } from '@nestjs/common';
import { ApiErrorCode } from '@dingrelay/contracts';

/**
 * The one place error codes become HTTP statuses: the exception filter answers with it, and the OpenAPI document
 * derives from it which codes each documented status can carry.
 */
export const STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  [ApiErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.MalformedJson]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ApiErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.MethodNotAllowed]: HttpStatus.METHOD_NOT_ALLOWED,
  [ApiErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ApiErrorCode.Gone]: HttpStatus.GONE,
  [ApiErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
  [ApiErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ApiErrorCode.DingTalkRejected]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.DingTalkUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** The codes an error answered with `status` can carry, in ApiErrorCode's order. */
export function errorCodesOfStatus(status: number): ApiErrorCode[] {
  return Object.values(ApiErrorCode).filter((code) => STATUS_BY_CODE[code] === status);
}
