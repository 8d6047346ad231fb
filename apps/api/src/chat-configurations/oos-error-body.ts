import { ApiErrorCode, type ApiErrorBody } from '@dingrelay/contracts';
import type { Request } from 'express';
import { OOS_PATH } from './oos-parameters.js';

/** OOS's (Alibaba Cloud RPC's) error shape. */
export interface OosErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

const RECOMMEND = 'See the "Chat configurations" section of the dingrelay README (OOS-compatible endpoint).';

/** Alibaba-style codes for our error codes; the HTTP status stays the one our API uses for the same error. */
function oosCode(body: ApiErrorBody): string {
  switch (body.code) {
    case ApiErrorCode.ValidationFailed:
      return body.details.some((d) => d.message.includes('mandatory')) ? 'MissingParameter' : 'InvalidParameter';
    case ApiErrorCode.NotFound:
      return 'EntityNotExists.ChatConfiguration';
    case ApiErrorCode.Conflict:
      return body.message.includes('already exists') ? 'EntityAlreadyExists.ChatConfiguration' : 'IncorrectChatConfigurationStatus';
    case ApiErrorCode.Unauthorized:
      return 'InvalidAccessKeyId';
    case ApiErrorCode.Forbidden:
      return 'Forbidden.RAM';
    case ApiErrorCode.TooManyRequests:
      return 'Throttling.User';
    case ApiErrorCode.ServiceUnavailable:
      return 'ServiceUnavailable';
    case ApiErrorCode.UnsupportedMediaType:
    case ApiErrorCode.MalformedJson:
    case ApiErrorCode.PayloadTooLarge:
      return 'InvalidParameter';
    default:
      return 'InternalError';
  }
}

/** Whether a request is for the OOS-compatible endpoint, whose errors (even those raised before routing) OOS's shape. */
export function isOosRequest(request: Request): boolean {
  return request.path === `/${OOS_PATH}`;
}

/** Our error, as OOS would answer it: classified exactly as the rest of the API classifies it. */
export function toOosErrorBody(body: ApiErrorBody, hostId: string): OosErrorBody {
  return { RequestId: body.requestId, HostId: hostId, Code: oosCode(body), Message: body.message, Recommend: RECOMMEND };
}
