import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { ApiErrorCode, type ApiErrorBody } from '@dingrelay/contracts';
import type { Request, Response } from 'express';
import { ApiExceptionFilter, retryAfterSecondsOf } from '../http/api-exception.filter.js';
import { requestIdOf, routeOf } from '../http/request-id.middleware.js';

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

/** Renders every error of the OOS endpoint as OOS does, classified exactly as the rest of the API classifies it. */
@Catch()
export class OosExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');
  private readonly api = new ApiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.api.toBody(exception, requestIdOf(request));
    if (body.status >= 500 && body.status !== HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.error(`${request.method} ${routeOf(request)} failed [requestId ${body.requestId}]: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    if (response.headersSent) return;
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(retryAfterSecondsOf(exception)));
    const oos: OosErrorBody = {
      RequestId: body.requestId,
      HostId: request.hostname,
      Code: oosCode(body),
      Message: body.message,
      Recommend: RECOMMEND,
    };
    response.status(body.status).json(oos);
  }
}
