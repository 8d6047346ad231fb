import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiErrorResponse, ApiErrorResponseUnlessDocumented } from '../openapi/api-error-response.decorator.js';
import type { Permission } from './access-policy.js';

export const ACCESS_METADATA = 'dingrelay:access';
export const PUBLIC_METADATA = 'dingrelay:public';

/**
 * How a route restricts a sender key to its chat configurations. The guard applies it; a route open to senders that
 * states none refuses them (deny by default).
 * - `send`: the route parameter holding a send id; the send's configuration must be in scope (403), and still be the
 *   configuration of that name: a send through one deleted since is a 404, as if there were none.
 * - `configurationInBody`: the body field naming the configuration (absent: the default configuration).
 * - `configurationParam`: the route parameter naming the configuration.
 * - `configurationFilter`: the query parameter filtering by configuration: when given it must be in scope (403 naming
 *   it); either way the handler limits what it returns to `principal.chatConfigurations`.
 * - `handler`: the handler itself limits what it returns to `principal.chatConfigurations`.
 * - `self`: the route is about the calling key itself and involves no configuration.
 */
export type SenderScope =
  | { send: string }
  | { configurationInBody: string }
  | { configurationParam: string }
  | { configurationFilter: string }
  | { handler: true }
  | { self: true };

export interface AccessRule {
  permission: Permission;
  senderScope?: SenderScope;
  /** false: exempt from the per-key request rate (monitoring scrapes must not compete with the key's own calls). */
  rateLimited?: boolean;
}

/** Who may call this route: a permission from ACCESS_POLICY, and for sender keys how their scope is checked. */
export function Access(
  permission: Permission,
  options: { senderScope?: SenderScope; rateLimited?: boolean } = {},
): MethodDecorator & ClassDecorator {
  const rule: AccessRule = { permission, ...options };
  return applyDecorators(
    SetMetadata(ACCESS_METADATA, rule),
    ApiBearerAuth(),
    ApiErrorResponse(401, 'No API key, or an unknown, revoked or expired one'),
    ApiErrorResponse(403, "The key's role or scope does not allow this"),
    // A route with more reasons for a 429 (exports: busy places) describes all of them itself.
    ...(options.rateLimited === false ? [] : [ApiErrorResponseUnlessDocumented(429, "Over the key's request rate; see Retry-After")]),
    // The key is looked up in Postgres on every request. A route's own 503 (DingTalk's) keeps its description.
    ApiErrorResponseUnlessDocumented(503, 'Postgres is busy or unreachable; see Retry-After'),
  );
}

/** Marks an operation for `buildOpenApiDocument`, which turns it into `security: []` (and removes the mark). */
export const NO_API_KEY_EXTENSION = 'x-dingrelay-no-api-key';

/**
 * Reachable without an API key: documentation, and endpoints that authenticate otherwise (DingTalk callbacks are
 * signed, a download link's token is its credential). Stated on purpose, never the default. The OpenAPI document
 * says so with `security: []` on the operation: the document has no global requirement, so this is what tells a
 * reader or a generated client outright that the route takes no key (@nestjs/swagger drops an empty `security`
 * list, hence the mark).
 */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PUBLIC_METADATA, true), ApiExtension(NO_API_KEY_EXTENSION, true));
}
