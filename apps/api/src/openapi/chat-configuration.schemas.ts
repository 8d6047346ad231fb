import { CHAT_CONFIGURATION_NAME_PATTERN, CHAT_CONFIGURATION_NAME_RULE, MASKED_SECRET, MAX_CHAT_CONFIGURATION_TAGS } from '@dingrelay/contracts';
import { pageOf } from './page.schemas.js';
import type { SchemaObject, SchemaOrRef } from './send.schemas.js';
import { ref } from './schema-ref.js';

const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const masked = `Always ${MASKED_SECRET}`;

/** contracts' ChatConfigurationResponse: secrets are always masked. */
export const chatConfigurationSchema: SchemaObject = {
  type: 'object',
  required: ['name', 'type', 'status', 'ramRole', 'resourceGroupId', 'tags', 'configuration', 'outputs', 'createdAt', 'updatedAt'],
  properties: {
    name: { type: 'string' },
    type: ref('ChatConfigurationType'),
    status: ref('ChatConfigurationStatus'),
    ramRole: nullable({ type: 'string' }),
    resourceGroupId: nullable({ type: 'string' }),
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    configuration: ref('DingTalkConfiguration'),
    outputs: ref('ChatConfigurationOutputs'),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const dingTalkConfigurationSchema: SchemaObject = {
  type: 'object',
  description: 'The DingTalk app behind a configuration and its per-app limits',
  required: ['clientId', 'clientSecret', 'robotCode', 'templateId', 'callsPerSecond', 'paceUtilization', 'monthlyCallQuota'],
  properties: {
    clientId: nullable({ type: 'string', description: "The app's Client ID (AppKey)" }),
    clientSecret: nullable({ type: 'string', description: masked }),
    robotCode: nullable({ type: 'string' }),
    templateId: nullable({ type: 'string' }),
    callsPerSecond: nullable({ type: 'number', description: "DingTalk's per-app limit; the server default when null" }),
    paceUtilization: nullable({ type: 'number', description: 'Share of callsPerSecond the pacer uses' }),
    monthlyCallQuota: nullable({ type: 'integer' }),
  },
};

export const chatConfigurationOutputsSchema: SchemaObject = {
  type: 'object',
  required: ['url', 'aesKey', 'callbackToken'],
  properties: {
    url: { type: 'string', description: "Where DingTalk posts this configuration's robot messages" },
    aesKey: { type: 'string', description: `The EncodingAESKey: in full only in the creation response, else ${MASKED_SECRET}` },
    callbackToken: { type: 'string', description: `The callback token: in full only in the creation response, else ${MASKED_SECRET}` },
  },
};

export const chatConfigurationPageSchema = pageOf('ChatConfiguration', 'Pass back as nextToken for the next page; null on the last');

/** contracts' DeleteChatConfigurationResponse. */
export const deletedChatConfigurationSchema: SchemaObject = {
  type: 'object',
  required: ['name', 'deleted'],
  properties: { name: { type: 'string' }, deleted: { type: 'boolean', description: 'Always true' } },
};

const TAGS: SchemaObject = {
  type: 'object',
  maxProperties: MAX_CHAT_CONFIGURATION_TAGS,
  additionalProperties: { type: 'string', maxLength: 256 },
  description: 'A flat map of strings; keys of 1-128 characters without "," or "=", not starting with ":"',
};

/** contracts' DingTalkConfigurationInput. */
export const dingTalkConfigurationInputSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    clientId: { type: 'string', minLength: 1, maxLength: 128, description: "The app's Client ID (AppKey)" },
    clientSecret: { type: 'string', minLength: 1, maxLength: 256, description: 'Write-only: stored encrypted, answered as ******' },
    robotCode: { type: 'string', minLength: 1, maxLength: 128 },
    templateId: nullable({ type: 'string', maxLength: 256 }),
    callsPerSecond: nullable({ type: 'number', minimum: 0.1, maximum: 1000, description: "DingTalk's per-app limit (20 standard, 60 with the add-on)" }),
    paceUtilization: nullable({ type: 'number', minimum: 0.1, maximum: 1 }),
    monthlyCallQuota: nullable({ type: 'integer', minimum: 1 }),
  },
};

const UPDATE_PROPERTIES: Record<string, SchemaOrRef> = {
  type: ref('ChatConfigurationType'),
  status: ref('ChatConfigurationStatus'),
  ramRole: nullable({ type: 'string', maxLength: 256, description: 'Kept for OOS compatibility; recorded, not assumed' }),
  resourceGroupId: nullable({ type: 'string', maxLength: 256 }),
  tags: TAGS,
  configuration: ref('DingTalkConfigurationInput'),
};

/** contracts' UpdateChatConfigurationRequest: only the fields given change; null clears optional ones. */
export const updateChatConfigurationRequestSchema: SchemaObject = { type: 'object', additionalProperties: false, properties: UPDATE_PROPERTIES };

/** contracts' CreateChatConfigurationRequest. A DingTalk configuration needs clientId, clientSecret and robotCode. */
export const createChatConfigurationRequestSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: CHAT_CONFIGURATION_NAME_PATTERN.source, description: CHAT_CONFIGURATION_NAME_RULE },
    ...UPDATE_PROPERTIES,
  },
};
