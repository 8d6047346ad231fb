import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiErrorCode } from '@dingrelay/contracts';
import {
  annotateRequestContext,
  AuthenticateApiKeyUseCase,
  type ApiKeyRejection,
  DEFAULT_CHAT_CONFIGURATION,
  type DefaultChatConfiguration,
  NotFoundError,
  RequestRateLimiter,
  SendScopeLookup,
} from '@dingrelay/domain';
import type { Request, Response } from 'express';
import { ApiException } from '../http/api.exception.js';
import { rolesFor } from './access-policy.js';
import { ACCESS_METADATA, type AccessRule, PUBLIC_METADATA, type SenderScope } from './access.decorator.js';
import { type AuthenticatedRequest, type Principal, principalCanUse } from './principal.js';

export const REQUEST_RATE_LIMITER = Symbol('REQUEST_RATE_LIMITER');

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const CHALLENGE = 'Bearer realm="dingrelay"';

/** The key of an `Authorization: Bearer <key>` header, if the request has one. */
export function bearerKeyOf(req: Request): string | undefined {
  const header = req.header('authorization');
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** The 401 for a request without a key (with the challenge header a client needs to know what to send). */
export function missingKey(res: Response): ApiException {
  res.setHeader('WWW-Authenticate', CHALLENGE);
  return new ApiException(HttpStatus.UNAUTHORIZED, ApiErrorCode.Unauthorized, 'Missing API key: send Authorization: Bearer <key>');
}

/** What a refused key is told; the queue dashboard's login says the same. */
export const REJECTION_MESSAGES: Record<ApiKeyRejection, string> = {
  malformed: 'Invalid API key',
  unknown: 'Invalid API key',
  revoked: 'API key revoked',
  expired: 'API key expired',
};

/**
 * Every route, deny by default: `@Public()` routes pass; any other route needs a valid key whose role its `@Access`
 * permission allows (a route with no declaration is refused to everyone), within the key's request rate, and for
 * sender keys within their chat configurations. Leaves the caller on `req.principal`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKeyUseCase,
    private readonly sendScope: SendScopeLookup,
    @Inject(REQUEST_RATE_LIMITER) private readonly rateLimiter: RequestRateLimiter,
    @Inject(DEFAULT_CHAT_CONFIGURATION) private readonly defaultConfiguration: DefaultChatConfiguration,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const res = http.getResponse<Response>();

    const principal = await this.identify(req, res);
    // Later log lines of this request say which key made it (its id; the prefix is already there).
    annotateRequestContext({ apiKeyId: principal.apiKeyId });
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, targets);
    if (rule?.rateLimited !== false) await this.limitRate(principal, res);

    if (!rule) throw forbidden('This endpoint declares no access rule, so no key may call it');
    if (!rolesFor(rule.permission).includes(principal.role)) {
      throw forbidden(`Keys with role ${principal.role} may not do this (allowed: ${rolesFor(rule.permission).join(', ')})`);
    }
    if (principal.chatConfigurations !== null) await this.checkScope(principal, rule.senderScope, req);
    req.principal = principal;
    return true;
  }

  private async identify(req: Request, res: Response): Promise<Principal> {
    const key = bearerKeyOf(req);
    if (!key) throw missingKey(res);
    const result = await this.authenticate.execute(key);
    if (!result.ok) {
      res.setHeader('WWW-Authenticate', `${CHALLENGE}, error="invalid_token"`);
      throw new ApiException(HttpStatus.UNAUTHORIZED, ApiErrorCode.Unauthorized, REJECTION_MESSAGES[result.reason]);
    }
    const { id, name, role, chatConfigurations } = result.apiKey;
    return { apiKeyId: id, name, role, chatConfigurations };
  }

  private async limitRate(principal: Principal, res: Response): Promise<void> {
    const decision = await this.rateLimiter.take(`api-key:${principal.apiKeyId}`);
    if (decision.allowed) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    res.setHeader('Retry-After', String(seconds));
    throw new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      ApiErrorCode.TooManyRequests,
      `Too many requests with this API key; retry after ${seconds} s`,
    );
  }

  private async checkScope(principal: Principal, scope: SenderScope | undefined, req: Request): Promise<void> {
    if (!scope) throw forbidden('This endpoint is not available to keys scoped to chat configurations');
    if ('handler' in scope || 'self' in scope) return;
    if ('configurationFilter' in scope) {
      const named: unknown = req.query[scope.configurationFilter];
      // Anything but one string is the validation pipe's to refuse (400); absent, the handler limits the answer.
      if (typeof named === 'string' && !principalCanUse(principal, named)) {
        throw new ApiException(HttpStatus.FORBIDDEN, ApiErrorCode.Forbidden, `This key may not read chat configuration "${named}"`, [
          { field: scope.configurationFilter, message: `is not one of this key's chat configurations (${principal.chatConfigurations?.join(', ')})` },
        ]);
      }
      return;
    }
    let configuration: string | undefined;
    if ('send' in scope) {
      const sendId = String(req.params[scope.send] ?? '');
      const of = await this.sendScope.configurationOf(sendId);
      // No such send: let the handler answer 404 exactly as it would for anyone.
      if (of === undefined) return;
      if (principalCanUse(principal, of.name) && !of.current) {
        // Its configuration was deleted since, perhaps re-created under the name in scope: that configuration's
        // senders have no send of the old one, so they are answered as if there were none.
        throw new NotFoundError('Send', sendId);
      }
      configuration = of.name;
    } else if ('configurationParam' in scope) {
      configuration = String(req.params[scope.configurationParam] ?? '');
    } else {
      const named: unknown = (req.body as Record<string, unknown> | undefined)?.[scope.configurationInBody];
      if (named !== undefined && typeof named !== 'string') throw forbidden(`${scope.configurationInBody} is not one of this key's configurations`);
      configuration = named ?? this.defaultConfiguration.name;
    }
    if (!principalCanUse(principal, configuration)) {
      throw forbidden(`This key may not use chat configuration "${configuration}"`);
    }
  }
}

function forbidden(message: string): ApiException {
  return new ApiException(HttpStatus.FORBIDDEN, ApiErrorCode.Forbidden, message);
}
