import type { OpenAPIObject } from '@nestjs/swagger';
import {
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_RECIPIENTS_PAGE_SIZE,
  MAX_MSG_PARAM_BYTES,
  MAX_RECIPIENTS_PAGE_SIZE,
  MAX_RECIPIENTS_PER_SEND,
  MAX_USER_ID_LENGTH,
  MSG_KEY_CATALOG,
  MSG_KEYS,
  type MsgKey,
} from '@dingrelay/contracts';
import { recipientReadRecallProperties } from './read-recall.schemas.js';
import { nullableRef, ref } from './schema-ref.js';

/** @nestjs/swagger does not export its SchemaObject type from the package root. */
type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type SchemaObject = Exclude<SchemaOrRef, { $ref: string }>;
export type { SchemaOrRef };

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
      msgKey: ref('MsgKey'),
      msgParam: {
        description: `The template's fields as a JSON object (dingrelay serialises it for DingTalk), in the shape msgKey names; at most ${MAX_MSG_PARAM_BYTES} bytes serialised.`,
        oneOf: MSG_KEYS.map((msgKey) => ref(msgParamSchemaName(msgKey))),
      },
      deliveryPolicy: {
        allOf: [ref('DeliveryPolicy')],
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

/** `MsgParamSampleMarkdown`: the msgParam of one msgKey, named for generated clients. */
export function msgParamSchemaName(msgKey: MsgKey): MsgParamSchemaName {
  return `MsgParam${msgKey.charAt(0).toUpperCase()}${msgKey.slice(1)}` as MsgParamSchemaName;
}

export type MsgParamSchemaName = `MsgParam${Capitalize<MsgKey>}`;

/** One component schema per msgKey's msgParam, from the catalog. */
export function msgParamSchemas(): Record<MsgParamSchemaName, SchemaObject> {
  return Object.fromEntries(MSG_KEYS.map((msgKey) => [msgParamSchemaName(msgKey), msgParamSchema(msgKey)])) as Record<MsgParamSchemaName, SchemaObject>;
}

function msgParamSchema(msgKey: MsgKey): SchemaObject {
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

const time = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const nullableTime = (description?: string): SchemaObject => ({ ...time(description), nullable: true });
const count = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });

/** contracts' CreateSendResponse (202). */
export const createSendResponseSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'status', 'recipients', 'batches', 'deliveryPolicy', 'statusUrl'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: ref('SendStatus'),
    recipients: ref('AcceptedRecipients'),
    batches: count('DingTalk calls of up to 20 users each'),
    deliveryPolicy: ref('DeliveryPolicy'),
    statusUrl: { type: 'string', example: '/v1/sends/0b7a3c1e-4f0e-4d8e-9b7b-2f1d9c3a5e10', description: 'Also the Location header' },
  },
};

export const acceptedRecipientsSchema: SchemaObject = {
  type: 'object',
  required: ['accepted', 'duplicatesRemoved'],
  properties: {
    accepted: count('Distinct userIds recorded as recipients'),
    duplicatesRemoved: count('Entries of userIds dropped because they repeated an earlier one'),
  },
};

/** contracts' SendStatusResponse: GET /v1/sends/{id}. */
export const sendStatusResponseSchema: SchemaObject = {
  type: 'object',
  required: [
    'id', 'status', 'chatConfiguration', 'chatConfigurationId', 'chatConfigurationDeleted', 'robotCode', 'msgKey', 'msgParam', 'idempotencyKey', 'deliveryPolicy', 'createdAt', 'updatedAt',
    'completedAt', 'cancelledAt', 'requestedBy', 'recipientsPurgedAt', 'recipients', 'batches', 'progress', 'read', 'recall',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: ref('SendStatus'),
    chatConfiguration: { type: 'string', description: 'The name of the chat configuration the send went through' },
    chatConfigurationId: {
      type: 'string',
      format: 'uuid',
      nullable: true,
      description:
        'The id of that configuration; null when no configuration row had the name (one pinned in the process), or for a send made ' +
        'before ids were recorded through a configuration deleted before then',
    },
    chatConfigurationDeleted: {
      type: 'boolean',
      description:
        'The configuration the send went through has been deleted since (none has its id now; for a send without one, another has ' +
        'its name). One re-created under the name is another configuration: its senders do not see this send, and a recall is refused',
    },
    robotCode: { type: 'string', description: 'The DingTalk robot that sent it' },
    msgKey: ref('MsgKey'),
    msgParam: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: "The message's template fields exactly as the sender posted them",
      example: { title: 'Deploy finished', text: '## v1.4.2 is live' },
    },
    idempotencyKey: { type: 'string', nullable: true, description: 'The Idempotency-Key the send was created with' },
    deliveryPolicy: ref('DeliveryPolicy'),
    createdAt: time(),
    updatedAt: time(),
    completedAt: nullableTime('When the last recipient reached a terminal status'),
    cancelledAt: nullableTime('When cancellation was requested'),
    requestedBy: nullableRef('SendRequester', 'The API key that requested the send; null for sends made before keys existed'),
    recipientsPurgedAt: nullableTime('Set once retention purged the per-recipient detail; recipients then holds the kept counts'),
    recipients: ref('RecipientCounts'),
    batches: ref('BatchCounts'),
    progress: ref('SendProgress'),
    read: ref('ReadSummary'),
    recall: nullableRef('RecallSummary', 'Progress of a requested recall; null unless one was requested'),
  },
};

export const sendRequesterSchema: SchemaObject = {
  type: 'object',
  required: ['apiKeyId', 'name'],
  properties: {
    apiKeyId: { type: 'string', format: 'uuid', nullable: true },
    name: { type: 'string', description: "The key's name when it made the send" },
  },
};

export const batchCountsSchema: SchemaObject = {
  type: 'object',
  required: ['total', 'remaining'],
  properties: { total: count(), remaining: count('Batches not yet finished (queued, in flight or waiting to retry)') },
};

export const sendProgressSchema: SchemaObject = {
  type: 'object',
  required: ['batchesAhead', 'estimatedCompletionAt', 'ambiguousCalls', 'paused'],
  properties: {
    batchesAhead: count("Open batches of the configuration up to and including this send's"),
    estimatedCompletionAt: nullableTime("From the app's pace; null once nothing is pending"),
    ambiguousCalls: count('Calls whose answer was lost'),
    paused: nullableRef('DeliveryPause', "Deliveries through the configuration are held (DingTalk's monthly quota is spent); null when not"),
  },
};

export const deliveryPauseSchema: SchemaObject = {
  type: 'object',
  required: ['reason', 'code', 'until'],
  properties: { reason: { type: 'string' }, code: { type: 'string' }, until: time('When deliveries resume by themselves') },
};

/** contracts' CancelSendResponse. */
export const cancelSendResponseSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'cancelled', 'inFlight', 'send'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    cancelled: count('Recipients cancelled by this request (their batches had not been sent)'),
    inFlight: count('Recipients whose batch was already in flight: they finish as DingTalk answers, and may be delivered'),
    send: ref('SendStatusResponse'),
  },
};

/** contracts' RecipientOutcome: one item of GET /v1/sends/{id}/recipients. */
export const recipientOutcomeSchema: SchemaObject = {
  type: 'object',
  required: [
    'userId', 'status', 'reasonCode', 'reasonMessage', 'processQueryKey', 'attempts', 'updatedAt', 'deliveredAt',
    ...Object.keys(recipientReadRecallProperties),
  ],
  properties: {
    userId: { type: 'string' },
    status: ref('RecipientStatus'),
    reasonCode: { type: 'string', nullable: true, description: "DingTalk's error code, or a dingrelay.* reason" },
    reasonMessage: { type: 'string', nullable: true },
    processQueryKey: { type: 'string', nullable: true, description: "DingTalk's id of the batchSend call that delivered to this recipient" },
    attempts: count('DingTalk calls made that included this recipient'),
    updatedAt: time(),
    deliveredAt: nullableTime(),
    ...recipientReadRecallProperties,
  },
};

export const recipientPageQuery = {
  maxResults: { minimum: 1, maximum: MAX_RECIPIENTS_PAGE_SIZE, default: DEFAULT_RECIPIENTS_PAGE_SIZE },
};
