/**
 * `@dingrelay/contracts/client`: the typed client for dingrelay's HTTP API with the plain vocabulary it speaks
 * (statuses, msgKeys, roles, formats, error codes) and the request and response types, without the validation
 * classes. Nothing here loads class-validator, so a service or tool that only calls dingrelay starts fast (the CLI
 * does). Everything is also exported from the package root.
 */
export * from './api-client/index.js';
export * from './errors/api-error.js';
export * from './sends/send-status.js';
export * from './sends/read-recall.responses.js';
export * from './chat-configurations/chat-configuration.js';
export {
  MsgKey,
  MSG_KEYS,
  MSG_KEY_CATALOG,
  isMsgKey,
  type MsgKeyDefinition,
  type MsgParam,
  type MsgParamByKey,
  type MsgParamOf,
} from './messages/msg-key-catalog.js';
// Pure functions over the catalog (no class-validator): a client can check a message before sending it.
export { MAX_MSG_PARAM_BYTES, validateMsgParam } from './messages/validate-msg-param.js';
export { API_KEY_ROLES, type ApiKeyRole } from './api-keys/api-key-roles.js';
export { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind, UTF8_BOM } from './history/export-formats.js';
export {
  DEFAULT_SEND_STATS_TIME_ZONE,
  MAX_SEND_STATS_BUCKETS,
  SEND_STATS_INTERVALS,
  type SendCountsByStatus,
  type SendStatsBucket,
  type SendStatsInterval,
  type SendStatsResponse,
} from './stats/send-stats.responses.js';
export { isIanaTimeZone } from './stats/time-zone.js';
export { AUDIT_OUTCOMES, type AuditOutcome } from './audit/audit-outcomes.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination/page-limits.js';
// Request shapes as types only (their classes, with the validation rules, live in the package root).
export type { CreateSendRequest } from './sends/create-send.request.js';
export type { CreateApiKeyRequest } from './api-keys/api-key.requests.js';
export type { SendStatsQuery } from './stats/send-stats.query.js';
export type { CreateChatConfigurationRequest, UpdateChatConfigurationRequest } from './chat-configurations/chat-configuration.requests.js';
export type { SetPluginsRequest } from './plugins/set-plugins.request.js';
export type {
  CancelSendResponse,
  CreateSendResponse,
  IsoDateTime,
  ListRecipientsResponse,
  RecipientCounts,
  RecipientOutcome,
  SendProgress,
  SendStatusResponse,
} from './sends/send.responses.js';
export type { ExportLinkResponse, HistoryPage, RecipientHistoryItem, SendHistoryItem } from './history/history.responses.js';
export type { ApiKeyListResponse, ApiKeyResponse, CreatedApiKeyResponse } from './api-keys/api-key.responses.js';
export type { ChatConfigurationResponse, DeleteChatConfigurationResponse, ListChatConfigurationsResponse } from './chat-configurations/chat-configuration.responses.js';
export type { AppliedPluginsState, PluginEntry, PluginsChangeResponse, PluginsResponse } from './plugins/plugins.responses.js';
export type { AuditEventPage, AuditEventResponse } from './audit/audit-events.responses.js';
export { AUDIT_CHAIN_BREAKS, type AuditChainBreak, type AuditChainVerification, type AuditDigestDocument } from './audit/audit-chain.responses.js';
export type { SendEventPage, SendEventResponse } from './send-events/send-events.responses.js';
export type { InboundMessagePage, InboundMessageResponse } from './inbound/inbound-message.responses.js';
export type { ConfigurationUsage, UsageResponse } from './usage/usage.responses.js';
