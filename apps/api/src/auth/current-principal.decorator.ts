import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { type Principal, principalOf } from './principal.js';

/**
 * The caller as the auth guard identified it: its key id, role and, for senders, the configurations in scope. Only on
 * keyed routes (`@Access`); a public route has no caller, and asking for one there is a programming error.
 */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('@CurrentPrincipal() on a route the auth guard did not identify a caller for');
  return principal;
});
