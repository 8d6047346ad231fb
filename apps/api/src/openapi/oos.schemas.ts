import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import { OWN_ERROR_SHAPE_EXTENSION } from './framework-error-responses.js';
import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

/** Alibaba Cloud RPC's error body, which the OOS-compatible endpoint answers instead of ours (OosErrorBody). */
export const oosErrorSchema: SchemaObject = {
  type: 'object',
  required: ['RequestId', 'HostId', 'Code', 'Message', 'Recommend'],
  properties: {
    RequestId: { type: 'string' },
    HostId: { type: 'string' },
    Code: { type: 'string', example: 'EntityNotExists.ChatConfiguration' },
    Message: { type: 'string' },
    Recommend: { type: 'string' },
  },
};

/** The action's answer in OOS's names; which fields depends on the Action. */
export const oosResponseSchema: SchemaObject = {
  type: 'object',
  required: ['RequestId'],
  additionalProperties: true,
  properties: { RequestId: { type: 'string' } },
  example: { RequestId: '3f9a6c2e-8b1d-4e7a-9c55-0d2b7f4e1a66', ChatConfiguration: { Name: 'default', Type: 'DingTalk' } },
};

const oosError = (status: number, description?: string) =>
  ApiResponse({
    status,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema: ref('OosError') } },
    ...(status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', required: true, schema: { type: 'integer', minimum: 1 } } } } : {}),
  });

/**
 * The OOS endpoint's answers, in OOS's shape (its own exception filter), so the document's general error answers
 * (framework-error-responses.ts) leave it alone. Listed above `@Access()` on purpose: decorators apply bottom-up, so
 * these run after Access's 401/403/429/503 and swap their body for OOS's shape while keeping Access's descriptions.
 */
export function ApiOosResponses(): MethodDecorator {
  return applyDecorators(
    ApiExtension(OWN_ERROR_SHAPE_EXTENSION, true),
    ApiResponse({ status: 200, description: "The action's answer in OOS's names, with its RequestId", content: { 'application/json': { schema: ref('OosResponse') } } }),
    oosError(400, 'Missing or invalid parameter, malformed body, or an unsupported Action (MissingParameter, InvalidParameter)'),
    oosError(404, 'No such configuration (EntityNotExists.ChatConfiguration)'),
    oosError(409, 'Name taken, or sends through it are in progress (EntityAlreadyExists…, IncorrectChatConfigurationStatus)'),
    oosError(413, 'Body over the size limit (InvalidParameter)'),
    oosError(500, 'Unexpected error (InternalError); quote RequestId when reporting it'),
    ...[401, 403, 429, 503].map((status) => oosError(status)),
  );
}
