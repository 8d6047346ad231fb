import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from './send.schemas.js';

/** Alibaba Cloud RPC's error body, which the OOS-compatible endpoint answers instead of ours (OosErrorBody). */
export const oosErrorSchema: SchemaObject = {
  type: 'object',
  properties: {
    RequestId: { type: 'string' },
    HostId: { type: 'string' },
    Code: { type: 'string', example: 'EntityNotExists.ChatConfiguration' },
    Message: { type: 'string' },
    Recommend: { type: 'string' },
  },
};

/**
 * The OOS endpoint's answers. Listed above `@Access()` on purpose: decorators apply bottom-up, so these run after
 * Access's 401/403/429 and swap their body schema for OOS's shape while keeping Access's descriptions.
 */
export function ApiOosResponses(): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 200, description: "The action's answer in OOS's names, with its RequestId" }),
    ApiResponse({ status: 400, description: 'Missing or invalid parameter, or an unsupported Action (MissingParameter, InvalidParameter)', schema: oosErrorSchema }),
    ApiResponse({ status: 404, description: 'No such configuration (EntityNotExists.ChatConfiguration)', schema: oosErrorSchema }),
    ApiResponse({ status: 409, description: 'Name taken, or sends through it are in progress (EntityAlreadyExists…, IncorrectChatConfigurationStatus)', schema: oosErrorSchema }),
    ...[401, 403, 429].map((status) => ApiResponse({ status, schema: oosErrorSchema })),
  );
}
