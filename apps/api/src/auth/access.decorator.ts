import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse } from '@nestjs/swagger';
import { apiErrorSchema } from '../openapi/send.schemas.js';
import type { Permission } from './access-policy.js';

export const ACCESS_METADATA = 'dingrelay:access';
export const PUBLIC_METADATA = 'dingrelay:public';

/**
 * How a route restricts a sender key to its chat configurations. The guard applies it; a route open to senders that
 * states none refuses them (deny by default).
 * - `send`: the route parameter holding a send id; the send's configuration must be in scope.
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
    ApiResponse({ status: 401, description: 'No API key, or an unknown, revoked or expired one', schema: apiErrorSchema }),
    ApiResponse({ status: 403, description: "The key's role or scope does not allow this", schema: apiErrorSchema }),
    ...(options.rateLimited === false
      ? []
      : [ApiResponse({ status: 429, description: "Over the key's request rate; see Retry-After", schema: apiErrorSchema })]),
  );
}

/**
 * Reachable without an API key: documentation, and endpoints that authenticate otherwise (DingTalk callbacks are
 * signed). Stated on purpose, never the default.
 */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}

/** Marks an operation for `buildOpenApiDocument`, which turns it into `security: []` (and removes the mark). */
export const NO_API_KEY_EXTENSION = 'x-dingrelay-no-api-key';

/**
 * States `security: []` on the operation in the OpenAPI document: no API key at all (a link's token is the
 * credential). The document has no global requirement, so this is what tells a reader or a generated client
 * outright that the route takes no key. (@nestjs/swagger drops an empty `security` list, hence the mark.)
 */
export function NoApiKeyInOpenApi(): MethodDecorator {
  return ApiExtension(NO_API_KEY_EXTENSION, true);
}
