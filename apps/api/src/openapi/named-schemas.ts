import { apiKeyPageSchema, apiKeySchema, createApiKeyRequestSchema, createdApiKeySchema } from './api-keys.schemas.js';
import {
  auditActorSchema,
  auditChainBreakSchema,
  auditChainHeadSchema,
  auditChainVerificationSchema,
  auditDigestCheckSchema,
  auditEventSchema,
  auditTargetSchema,
  sendEventSchema,
} from './audit.schemas.js';
import {
  chatConfigurationOutputsSchema,
  chatConfigurationPageSchema,
  chatConfigurationSchema,
  createChatConfigurationRequestSchema,
  deletedChatConfigurationSchema,
  dingTalkConfigurationInputSchema,
  dingTalkConfigurationSchema,
  updateChatConfigurationRequestSchema,
} from './chat-configuration.schemas.js';
import { ENUM_SCHEMAS } from './enum.schemas.js';
import {
  createExportLinkRequestSchema,
  createRecipientsExportLinkRequestSchema,
  createSendsExportLinkRequestSchema,
  exportLinkResponseSchema,
  exportRecipientsFilterSchema,
  exportSendsFilterSchema,
} from './export-link.schemas.js';
import { healthStateSchema, healthStatusSchema } from './health.schemas.js';
import { recipientHistoryItemSchema, recipientHistoryPageSchema, sendHistoryItemSchema, sendHistoryPageSchema } from './history.schemas.js';
import {
  callbackAckSchema,
  encryptedCallbackReplySchema,
  encryptedEventPushSchema,
  inboundMessagePageSchema,
  inboundMessageSchema,
  robotMessagePushSchema,
} from './inbound.schemas.js';
import { oosErrorSchema, oosResponseSchema } from './oos.schemas.js';
import { pageOf } from './page.schemas.js';
import {
  appliedPluginsSchema,
  dingTalkPluginEntrySchema,
  dingTalkPluginsSchema,
  pluginEntryInputSchema,
  pluginEntrySchema,
  pluginsActionSchema,
  pluginsChangeSchema,
  pluginsSchema,
  setPluginsRequestSchema,
} from './plugins.schemas.js';
import { readSummarySchema, recallSendResponseSchema, recallSummarySchema, refreshReadStatusResponseSchema } from './read-recall.schemas.js';
import {
  acceptedRecipientsSchema,
  batchCountsSchema,
  cancelSendResponseSchema,
  createSendRequestSchema,
  createSendResponseSchema,
  deliveryPauseSchema,
  msgParamSchemas,
  recipientOutcomeSchema,
  type SchemaObject,
  sendProgressSchema,
  sendRequesterSchema,
  sendStatusResponseSchema,
} from './send.schemas.js';
import { recipientCountsSchema, sendCountsByStatusSchema, sendStatsBucketSchema, sendStatsSchema } from './stats.schemas.js';
import { configurationUsageSchema, quotaPauseSchema, usageQuotaSchema, usageSchema } from './usage.schemas.js';

/**
 * Bodies documented once, under `components.schemas`, and referenced by name from each request and response that
 * carries them, so a generated client gets one named type per shape (`ApiKey`, `SendHistoryPage`) rather than an
 * anonymous copy per route. Most are contracts' response interfaces (named alike); the typed-client test checks that
 * each of those interfaces fits its schema. buildOpenApiDocument adds every one of them to the document; the error
 * bodies come from error.schemas.ts.
 */
export const NAMED_SCHEMAS = {
  ...ENUM_SCHEMAS,
  // Sends
  CreateSendRequest: createSendRequestSchema(),
  ...msgParamSchemas(),
  CreateSendResponse: createSendResponseSchema,
  AcceptedRecipients: acceptedRecipientsSchema,
  SendStatusResponse: sendStatusResponseSchema,
  SendRequester: sendRequesterSchema,
  BatchCounts: batchCountsSchema,
  SendProgress: sendProgressSchema,
  DeliveryPause: deliveryPauseSchema,
  CancelSendResponse: cancelSendResponseSchema,
  RecipientOutcome: recipientOutcomeSchema,
  RecipientPage: pageOf('RecipientOutcome', 'Pass back as nextToken for the next page; null on the last'),
  SendEvent: sendEventSchema,
  SendEventPage: pageOf('SendEvent'),
  ReadSummary: readSummarySchema,
  RecallSummary: recallSummarySchema,
  RecallSendResponse: recallSendResponseSchema,
  RefreshReadStatusResponse: refreshReadStatusResponseSchema,
  // History, exports, stats, usage, audit
  SendHistoryItem: sendHistoryItemSchema,
  SendHistoryPage: sendHistoryPageSchema,
  RecipientHistoryItem: recipientHistoryItemSchema,
  RecipientHistoryPage: recipientHistoryPageSchema,
  CreateExportLinkRequest: createExportLinkRequestSchema,
  CreateSendsExportLinkRequest: createSendsExportLinkRequestSchema,
  CreateRecipientsExportLinkRequest: createRecipientsExportLinkRequestSchema,
  ExportSendsFilter: exportSendsFilterSchema,
  ExportRecipientsFilter: exportRecipientsFilterSchema,
  ExportLink: exportLinkResponseSchema,
  SendStats: sendStatsSchema,
  SendStatsBucket: sendStatsBucketSchema,
  SendCountsByStatus: sendCountsByStatusSchema,
  RecipientCounts: recipientCountsSchema,
  Usage: usageSchema,
  ConfigurationUsage: configurationUsageSchema,
  UsageQuota: usageQuotaSchema,
  QuotaPause: quotaPauseSchema,
  AuditEvent: auditEventSchema,
  AuditActor: auditActorSchema,
  AuditTarget: auditTargetSchema,
  AuditEventPage: pageOf('AuditEvent'),
  AuditChainVerification: auditChainVerificationSchema,
  AuditChainHead: auditChainHeadSchema,
  AuditChainBreak: auditChainBreakSchema,
  AuditDigestCheck: auditDigestCheckSchema,
  // API keys
  ApiKey: apiKeySchema,
  CreatedApiKey: createdApiKeySchema,
  ApiKeyPage: apiKeyPageSchema,
  CreateApiKeyRequest: createApiKeyRequestSchema,
  // Chat configurations, plugins, inbound messages
  ChatConfiguration: chatConfigurationSchema,
  DingTalkConfiguration: dingTalkConfigurationSchema,
  ChatConfigurationOutputs: chatConfigurationOutputsSchema,
  ChatConfigurationPage: chatConfigurationPageSchema,
  DeletedChatConfiguration: deletedChatConfigurationSchema,
  CreateChatConfigurationRequest: createChatConfigurationRequestSchema,
  UpdateChatConfigurationRequest: updateChatConfigurationRequestSchema,
  DingTalkConfigurationInput: dingTalkConfigurationInputSchema,
  OosResponse: oosResponseSchema,
  OosError: oosErrorSchema,
  SetPluginsRequest: setPluginsRequestSchema(),
  PluginEntryInput: pluginEntryInputSchema(),
  PluginEntry: pluginEntrySchema,
  DingTalkPluginEntry: dingTalkPluginEntrySchema,
  DingTalkPlugins: dingTalkPluginsSchema,
  AppliedPlugins: appliedPluginsSchema,
  PluginsAction: pluginsActionSchema,
  PluginsChange: pluginsChangeSchema,
  Plugins: pluginsSchema,
  InboundMessage: inboundMessageSchema,
  InboundMessagePage: inboundMessagePageSchema,
  RobotMessagePush: robotMessagePushSchema,
  CallbackAck: callbackAckSchema,
  EncryptedEventPush: encryptedEventPushSchema,
  EncryptedCallbackReply: encryptedCallbackReplySchema,
  // Operations
  HealthStatus: healthStatusSchema,
  HealthState: healthStateSchema,
} satisfies Record<string, SchemaObject>;

export type SchemaName = keyof typeof NAMED_SCHEMAS;

/** A body's `schema`: a reference to one of NAMED_SCHEMAS. */
export function schemaRef(name: SchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
