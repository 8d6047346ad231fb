import { HttpStatus } from '@nestjs/common';
import { ApiErrorCode, type ApiKeyRole } from '@dingrelay/contracts';
import { ApiException } from '../http/api.exception.js';
import type { Principal } from './principal.js';

/**
 * The role policy, in one place: each route names one of these permissions (`@Access(...)`), never roles directly,
 * so who may do what reads from this table alone. The README's "Access control" table mirrors it. Reachable without
 * a key (`@Public()`): the docs, DingTalk's signed callbacks, and the health probes `/health/live` and `/health/ready`.
 */
export const ACCESS_POLICY = {
  /** The calling key itself (`GET /v1/api-keys/current`): any valid key may see its own role, scope and expiry. */
  'identity.read': ['admin', 'sender', 'auditor'],
  /** Create, cancel and recall sends; refresh their read status. Senders only through their configurations. */
  'sends.write': ['admin', 'sender'],
  /**
   * Sends as recorded: one send (status, recipients, timeline), the send and recipient history, and the send
   * statistics. Senders only for sends through their configurations.
   */
  'sends.read': ['admin', 'sender', 'auditor'],
  /** Everything recorded, across configurations: history exports, usage, the audit log, inbound messages. */
  'records.read': ['admin', 'auditor'],
  /** Chat configurations and plugins as they are (secrets always masked). */
  'configurations.read': ['admin', 'auditor'],
  /** Prometheus metrics (`GET /metrics`), unless METRICS_PUBLIC opens them. */
  'metrics.read': ['admin', 'auditor'],
  /** Changing chat configurations and plugins; API keys; the queue dashboard (`/admin/queues`). */
  admin: ['admin'],
} as const satisfies Record<string, readonly ApiKeyRole[]>;

export type Permission = keyof typeof ACCESS_POLICY;

export function rolesFor(permission: Permission): readonly ApiKeyRole[] {
  return ACCESS_POLICY[permission];
}

/**
 * For the rare route whose permission depends on the request itself (the OOS endpoint's `Action`): the route
 * declares the weakest permission and the handler asks for the stronger one here, from the same table.
 */
export function requirePermission(principal: Principal | undefined, permission: Permission): void {
  if (principal && rolesFor(permission).includes(principal.role)) return;
  throw new ApiException(HttpStatus.FORBIDDEN, ApiErrorCode.Forbidden, `Keys with role ${principal?.role ?? '(none)'} may not do this (allowed: ${rolesFor(permission).join(', ')})`);
}
