import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { ApiErrorCode, type ApiErrorBody } from '@dingrelay/contracts';
import { DomainError } from '@dingrelay/domain';
import type { Request, Response } from 'express';
import { isOosRequest, toOosErrorBody } from '../chat-configurations/oos-error-body.js';
import { AllowedMethods } from './allowed-methods.js';
import { ApiException } from './api.exception.js';
import { STATUS_BY_CODE } from './error-status.js';
import { requestIdOf, routeOf } from './request-id.middleware.js';

/** Codes that only describe DingTalk's answers; a framework HttpException with their status is not about DingTalk. */
const DINGTALK_ONLY_CODES: ReadonlySet<string> = new Set([ApiErrorCode.DingTalkRejected, ApiErrorCode.DingTalkUnavailable]);

/** The first code of each status (400 is VALIDATION_FAILED, not MALFORMED_JSON, which only the body parser reports). */
const CODE_BY_STATUS: Partial<Record<number, ApiErrorCode>> = Object.fromEntries(
  Object.entries(STATUS_BY_CODE)
    .filter(([code]) => !DINGTALK_ONLY_CODES.has(code))
    .reverse()
    .map(([code, status]) => [status, code as ApiErrorCode]),
);

/** body-parser reports its failures as plain errors with a `type`; they are the client's fault, never a 500. */
const BODY_PARSER_ERRORS: Record<string, { code: ApiErrorCode; message: string }> = {
  'entity.parse.failed': { code: ApiErrorCode.MalformedJson, message: 'Request body is not valid JSON' },
  'entity.too.large': { code: ApiErrorCode.PayloadTooLarge, message: 'Request body exceeds the size limit' },
  'encoding.unsupported': { code: ApiErrorCode.UnsupportedMediaType, message: 'Unsupported content encoding' },
  'charset.unsupported': { code: ApiErrorCode.UnsupportedMediaType, message: 'Unsupported charset; send UTF-8 JSON' },
  'request.aborted': { code: ApiErrorCode.ValidationFailed, message: 'Request body was not received in full' },
};

/** Renders every error as ApiErrorBody (in OOS's shape on the OOS-compatible endpoint); unexpected ones are logged with an error id and answered without internals. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly allowedMethods: AllowedMethods) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = isNoRoute(exception, request) ? this.noRoute(request, response) : this.toBody(exception, requestIdOf(request));
    if (body.status >= 500 && body.status !== HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.error(
        `${request.method} ${routeOf(request)} failed [requestId ${body.requestId}]: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    if (response.headersSent) return;
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(retryAfterSecondsOf(exception)));
    // Every 429 says when to come back: the rate limiter sets its own; a busy export place says it on the error.
    if (body.status === HttpStatus.TOO_MANY_REQUESTS && !response.hasHeader('Retry-After')) {
      response.setHeader('Retry-After', String(retryAfterSecondsOf(exception)));
    }
    response.status(body.status).json(isOosRequest(request) ? toOosErrorBody(body, request.hostname) : body);
  }

  /**
   * No route has the request's method and path: a 405 naming the methods when the path exists (with `Allow`), else a
   * 404. Neither repeats the URL the caller sent (Nest's own answer echoed it raw).
   */
  private noRoute(request: Request, response: Response): ApiErrorBody {
    const allowed = this.allowedMethods.on(request.path);
    const requestId = requestIdOf(request);
    if (allowed.length === 0) {
      return { status: HttpStatus.NOT_FOUND, code: ApiErrorCode.NotFound, message: 'No endpoint has this path; see /docs for the API', details: [], requestId };
    }
    response.setHeader('Allow', allowed.join(', '));
    return {
      status: HttpStatus.METHOD_NOT_ALLOWED,
      code: ApiErrorCode.MethodNotAllowed,
      message: `This path does not answer ${request.method}; it answers ${allowed.join(', ')}`,
      details: [],
      requestId,
    };
  }

  toBody(exception: unknown, requestId: string): ApiErrorBody {
    if (exception instanceof ApiException) {
      return { status: exception.status, code: exception.code, message: exception.message, details: exception.details, requestId };
    }
    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code];
      return { status, code: exception.code, message: exception.message, details: exception.details, requestId };
    }
    // Nest hands errors raised before routing (the body parser's, the router's) over wrapped in an HttpException.
    const raised = exception instanceof HttpException && exception.cause !== undefined ? exception.cause : exception;
    if (raised instanceof URIError) {
      // The router could not percent-decode a path segment (e.g. `%E0%A4%A`): the caller's path, not a server fault.
      const detail = { field: '(path)', message: '(path) has a malformed percent-escape; encode each byte as %XX' };
      return { status: HttpStatus.BAD_REQUEST, code: ApiErrorCode.ValidationFailed, message: `Invalid request: ${detail.message}`, details: [detail], requestId };
    }
    const parserError = bodyParserError(raised);
    if (parserError) {
      const known = BODY_PARSER_ERRORS[parserError.type];
      const code = known?.code ?? ApiErrorCode.ValidationFailed;
      const message = known?.message ?? parserError.message;
      // The whole body is what is wrong: name it, as every other 400 names its field.
      return { status: STATUS_BY_CODE[code], code, message, details: [{ field: '(body)', message }], requestId };
    }
    if (isDatabaseUnavailable(exception)) {
      // Overload or an outage, not a bug: clients should come back shortly rather than report an internal error.
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: ApiErrorCode.ServiceUnavailable,
        message: 'The database is busy or unreachable; retry shortly',
        details: [],
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ApiErrorCode.Internal : ApiErrorCode.ValidationFailed);
      return { status, code, message: exception.message, details: [], requestId };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: ApiErrorCode.Internal,
      message: `Internal error; quote requestId ${requestId} (error id ${randomUUID()}) when reporting it`,
      details: [],
      requestId,
    };
  }
}

/** Nest's answer when its router matched nothing (its message is exactly this), as opposed to a 404 of ours. */
function isNoRoute(exception: unknown, request: Request): boolean {
  return exception instanceof NotFoundException && exception.message === `Cannot ${request.method} ${request.originalUrl}`;
}

function bodyParserError(exception: unknown): { type: string; message: string } | undefined {
  const candidate = exception as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (!candidate || typeof candidate.type !== 'string' || typeof candidate.status !== 'number') return undefined;
  if (candidate.status < 400 || candidate.status >= 500) return undefined;
  return { type: candidate.type, message: String(candidate.message ?? 'Bad request body') };
}

/** The pool had no connection to give in time, or Postgres refused or dropped connections (restart, overload). */
function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { message?: unknown; code?: unknown; driverError?: { code?: unknown } } | null;
  if (!error || typeof error !== 'object') return false;
  const message = typeof error.message === 'string' ? error.message : '';
  const code = String(error.driverError?.code ?? error.code ?? '');
  return (
    message.includes('timeout exceeded when trying to connect') ||
    message.includes('Connection terminated') ||
    ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '53300'].includes(code)
  );
}

/** Seconds a 503's caller should wait: what the error knows (DingTalk's throttle class, the pace), else 1. */
export function retryAfterSecondsOf(exception: unknown): number {
  const seconds = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 1 ? Math.ceil(seconds) : 1;
}
