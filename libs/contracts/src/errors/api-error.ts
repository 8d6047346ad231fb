/** Codes of dingrelay's own HTTP API errors; each maps to exactly one HTTP status. */
export const ApiErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  Conflict: 'CONFLICT',
  /** The resource existed but its detail was purged by retention. */
  Gone: 'GONE',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
  /** DingTalk refused the call for a reason the caller or the configuration must fix (see details for its code). */
  DingTalkRejected: 'DINGTALK_REJECTED',
  /** DingTalk failed, throttled or did not answer; retry after Retry-After. */
  DingTalkUnavailable: 'DINGTALK_UNAVAILABLE',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** One problem with one input field; `field` is a dotted path such as `msgParam.title` or `userIds.3`. */
export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** The single JSON shape of every error dingrelay's API returns. */
export interface ApiErrorBody {
  status: number;
  code: ApiErrorCode;
  message: string;
  details: ApiErrorDetail[];
  requestId: string;
}
