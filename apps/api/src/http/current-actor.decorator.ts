import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuditActor } from '@dingrelay/domain';
import type { Request } from 'express';
import { requestIdOf } from './request-id.middleware.js';

/** What the auth guard leaves on the request; only the fields an audit record names. */
interface PrincipalLike {
  apiKeyId: string;
  name: string;
  role: string;
}

/** Until a guard has identified the caller, changes are still recorded, attributed to nobody in particular. */
const ANONYMOUS = 'anonymous';

export function actorOf(req: Request): AuditActor {
  const principal = (req as Request & { principal?: PrincipalLike }).principal;
  return {
    apiKeyId: principal?.apiKeyId ?? null,
    name: principal?.name ?? ANONYMOUS,
    role: principal?.role ?? null,
    requestId: requestIdOf(req),
  };
}

/** The caller as an audit actor: `req.principal` (set by the auth guard) and the request id. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): AuditActor =>
  actorOf(context.switchToHttp().getRequest<Request>()),
);
