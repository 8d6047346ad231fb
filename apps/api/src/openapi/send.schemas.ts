import type { OpenAPIObject } from '@nestjs/swagger';
import {
  ApiErrorCode,
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_RECIPIENTS_PAGE_SIZE,
  DELIVERY_POLICIES,
  MAX_MSG_PARAM_BYTES,
  MAX_RECIPIENTS_PAGE_SIZE,
  MAX_RECIPIENTS_PER_SEND,
  MAX_USER_ID_LENGTH,
  MSG_KEY_CATALOG,
  MSG_KEYS,
  RECIPIENT_STATUSES,
  SEND_STATUSES,
} from '@dingrelay/contracts';
import { readSummarySchema, recallSummarySchema, recipientReadRecallProperties } from './read-recall.schemas.js';

/** @nestjs/swagger does not export its SchemaObject type from the package root. */
type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type SchemaObject = Exclude<SchemaOrRef, { $ref: string }>;

/**
 * OpenAPI schemas built from the contracts themselves (the msgKey catalog, the limits), so the document cannot drift
 * from what the validation pipe enforces.
 */
export function createSendRequestSchema(): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['userIds', 'msgKey', 'msgParam'],
    properties: {
      userIds: {
        type: 'array',
        description: 'DingTalk userIds (staffIds). Duplicates are removed and counted; unknown users end `invalid`.',
        minItems: 1,
        maxItems: MAX_RECIPIENTS_PER_SEND,
        items: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH },
      },
      msgKey: { type: 'string', enum: [...MSG_KEYS], description: 'DingTalk message template' },
      msgParam: {
        description: `The template's fields as a JSON object (dingrelay serialises it for DingTalk); at most ${MAX_MSG_PARAM_BYTES} bytes serialised.`,
        oneOf: MSG_KEYS.map((msgKey) => msgParamSchema(msgKey)),
      },
      deliveryPolicy: {
        type: 'string',
        enum: [...DELIVERY_POLICIES],
        default: DEFAULT_DELIVERY_POLICY,
        description:
          'What to do when a DingTalk call may or may not have delivered (crash, timeout): re-send (at-least-once) or mark `unknown` (at-most-once).',
      },
      chatConfiguration: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
        default: 'default',
        description:
          'The chat configuration (DingTalk app and robot) to send through. Unknown → 400; a WeChat or inactive one → 409.',
      },
    },
    example: {
      userIds: ['user-1', 'user-2', 'user-3'],
      msgKey: 'sampleMarkdown',
      msgParam: { title: 'Deploy finished', text: '## v1.4.2 is live' },
    },
  };
}

function msgParamSchema(msgKey: (typeof MSG_KEYS)[number]): SchemaObject {
  const definition = MSG_KEY_CATALOG[msgKey];
  return {
    title: msgKey,
    type: 'object',
    description: definition.description,
    additionalProperties: false,
    required: definition.fields.filter((f) => f.required).map((f) => f.name),
    properties: Object.fromEntries(
      definition.fields.map((f) => [f.name, { type: 'string', minLength: f.required ? 1 : 0, description: f.description }]),
    ),
  };
}

const recipientCounts: SchemaObject = {
  type: 'object',
  properties: Object.fromEntries(['total', ...RECIPIENT_STATUSES].map((s) => [s, { type: 'integer', minimum: 0 }])),
};

export const createSendResponseSchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: [...SEND_STATUSES] },
    recipients: {
      type: 'object',
      properties: { accepted: { type: 'integer' }, duplicatesRemoved: { type: 'integer' } },
    },
    batches: { type: 'integer', description: 'DingTalk calls of up to 20 users each' },
    deliveryPolicy: { type: 'string', enum: [...DELIVERY_POLICIES] },
    statusUrl: { type: 'string', example: '/v1/sends/0b7a3c1e-4f0e-4d8e-9b7b-2f1d9c3a5e10' },
  },
};

export const sendStatusResponseSchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: [...SEND_STATUSES] },
    chatConfiguration: { type: 'string', description: 'The chat configuration the send went through' },
    robotCode: { type: 'string', description: 'The DingTalk robot that sent it' },
    msgKey: { type: 'string', enum: [...MSG_KEYS] },
    msgParam: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: "The message's template fields exactly as the sender posted them",
      example: { title: 'Deploy finished', text: '## v1.4.2 is live' },
    },
    idempotencyKey: { type: 'string', nullable: true, description: 'The Idempotency-Key the send was created with' },
    deliveryPolicy: { type: 'string', enum: [...DELIVERY_POLICIES] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time', nullable: true },
    cancelledAt: { type: 'string', format: 'date-time', nullable: true, description: 'When cancellation was requested' },
    requestedBy: {
      type: 'object',
      nullable: true,
      properties: { apiKeyId: { type: 'string', format: 'uuid', nullable: true }, name: { type: 'string' } },
    },
    recipientsPurgedAt: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'Set once retention purged the per-recipient detail; recipients then holds the kept counts',
    },
    recipients: recipientCounts,
    batches: { type: 'object', properties: { total: { type: 'integer' }, remaining: { type: 'integer' } } },
    progress: {
      type: 'object',
      properties: {
        batchesAhead: { type: 'integer', description: "Open batches of the configuration up to and including this send's" },
        estimatedCompletionAt: { type: 'string', format: 'date-time', nullable: true, description: "From the app's pace; null once nothing is pending" },
        ambiguousCalls: { type: 'integer', description: 'Calls whose answer was lost' },
        paused: {
          type: 'object',
          nullable: true,
          description: "Deliveries through the configuration are held (DingTalk's monthly quota is spent)",
          properties: { reason: { type: 'string' }, code: { type: 'string' }, until: { type: 'string', format: 'date-time' } },
        },
      },
    },
    read: readSummarySchema,
    recall: recallSummarySchema,
  },
};

export const recipientPageSchema: SchemaObject = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: { type: 'string' },
          status: { type: 'string', enum: [...RECIPIENT_STATUSES] },
          reasonCode: { type: 'string', nullable: true, description: "DingTalk's error code, or a dingrelay.* reason" },
          reasonMessage: { type: 'string', nullable: true },
          processQueryKey: { type: 'string', nullable: true },
          attempts: { type: 'integer' },
          updatedAt: { type: 'string', format: 'date-time' },
          deliveredAt: { type: 'string', format: 'date-time', nullable: true },
          ...recipientReadRecallProperties,
        },
      },
    },
    nextToken: { type: 'string', nullable: true, description: 'Pass back as nextToken for the next page; null on the last' },
  },
};

export const recipientPageQuery = {
  maxResults: { minimum: 1, maximum: MAX_RECIPIENTS_PAGE_SIZE, default: DEFAULT_RECIPIENTS_PAGE_SIZE },
};

/** The one body of every error the API answers (contracts' ApiErrorBody); in the document once, as ApiError. */
export const apiErrorBodySchema: SchemaObject = {
  type: 'object',
  required: ['status', 'code', 'message', 'details', 'requestId'],
  properties: {
    status: { type: 'integer', description: 'The HTTP status again' },
    code: { type: 'string', enum: Object.values(ApiErrorCode) },
    message: { type: 'string' },
    details: {
      type: 'array',
      description: 'One entry per invalid input field; empty for other errors',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    requestId: { type: 'string', description: 'Also the X-Request-Id response header; quote it when reporting a problem' },
  },
};

export const API_ERROR_SCHEMA_NAME = 'ApiError';

/** What error responses declare: a reference to ApiError (buildOpenApiDocument adds it to components). */
export const apiErrorSchema = { $ref: `#/components/schemas/${API_ERROR_SCHEMA_NAME}` };
