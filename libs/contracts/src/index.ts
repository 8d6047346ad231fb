export * from './errors/api-error.js';
export { toApiErrorDetails } from './errors/to-api-error-details.js';
export { appendFieldPath } from './errors/field-path.js';
export * from './queues/queues.js';
export * from './sends/send-status.js';
export {
  MsgKey,
  MSG_KEYS,
  MSG_KEY_CATALOG,
  SAMPLE_FILE_TYPES,
  SAMPLE_VIDEO_TYPES,
  isMsgKey,
  type MsgKeyDefinition,
  type MsgParam,
  type MsgParamByKey,
  type MsgParamFieldFormat,
  type MsgParamFieldName,
  type MsgParamFieldSpec,
  type MsgParamOf,
  type SampleFileType,
  type SampleVideoType,
} from './messages/msg-key-catalog.js';
export { MAX_MSG_PARAM_BYTES, validateMsgParam } from './messages/validate-msg-param.js';
export {
  IsUserIdList,
  MAX_RECIPIENTS_PER_SEND,
  MAX_REPORTED_USER_ID_PROBLEMS,
  MAX_USER_ID_LENGTH,
} from './validation/user-id-list.constraint.js';
export { IsMsgParamForMsgKey } from './validation/msg-param.constraint.js';
export { CreateSendRequest } from './sends/create-send.request.js';
export {
  DEFAULT_RECIPIENTS_PAGE_SIZE,
  ListRecipientsQuery,
  MAX_NEXT_TOKEN_LENGTH,
  MAX_RECIPIENTS_PAGE_SIZE,
} from './sends/list-recipients.query.js';
export type {
  CancelSendResponse,
  SendProgress,
  CreateSendResponse,
  IsoDateTime,
  ListRecipientsResponse,
  RecipientCounts,
  RecipientOutcome,
  SendStatusResponse,
} from './sends/send.responses.js';
export { UsageQuery } from './usage/usage.query.js';
export type { ConfigurationUsage, UsageResponse } from './usage/usage.responses.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Paged, PageQuery, type PageFields, pageRequest } from './pagination/page.query.js';
export { HistoryFilter, RecipientHistoryFilter, SendHistoryFilter } from './history/history-filters.js';
export { isIsoDateTimeWithOffset, IsIsoDateTimeWithOffset } from './history/history-time.constraint.js';
export {
  EXPORT_FORMATS,
  type ExportFormat,
  ExportRecipientsFilter,
  ExportRecipientsQuery,
  ExportSendsFilter,
  ExportSendsQuery,
  ListSendsQuery,
  ListUserRecipientsQuery,
} from './history/history.queries.js';
export { EXPORT_KINDS, type ExportKind, UTF8_BOM } from './history/export-formats.js';
export { BOM_WITHOUT_CSV_MESSAGE, type ExportFileOptions, WithExportQueryOptions } from './history/export-options.js';
export { CreateExportLinkRequest } from './history/export-link.request.js';
export type { ExportLinkResponse, HistoryPage, RecipientHistoryItem, SendHistoryItem } from './history/history.responses.js';
export { SendStatsQuery } from './stats/send-stats.query.js';
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
export { IsIanaTimeZone } from './stats/time-zone.constraint.js';
export {
  API_KEY_ROLES,
  type ApiKeyRole,
  CreateApiKeyRequest,
  DEFAULT_API_KEYS_PAGE_SIZE,
  ListApiKeysQuery,
  MAX_API_KEY_NAME_LENGTH,
  MAX_API_KEY_SCOPE_SIZE,
  MAX_API_KEYS_PAGE_SIZE,
} from './api-keys/api-key.requests.js';
export type { ApiKeyListResponse, ApiKeyResponse, CreatedApiKeyResponse } from './api-keys/api-key.responses.js';
export * from './chat-configurations/chat-configuration.js';
export {
  CreateChatConfigurationRequest,
  DingTalkConfigurationInput,
  ListChatConfigurationsQuery,
  UpdateChatConfigurationRequest,
  describeTagsProblem,
} from './chat-configurations/chat-configuration.requests.js';
export type {
  ChatConfigurationResponse,
  DeleteChatConfigurationResponse,
  ListChatConfigurationsResponse,
} from './chat-configurations/chat-configuration.responses.js';
export { IsI18nName, I18N_LOCALE_PATTERN, MAX_I18N_LOCALES, MAX_I18N_NAME_LENGTH } from './plugins/i18n-name.constraint.js';
export { MAX_PLUGINS_PER_ROBOT, PLUGIN_ICON_PATTERN, PluginEntryInput, SetPluginsRequest } from './plugins/set-plugins.request.js';
export type { AppliedPluginsState, PluginEntry, PluginsChangeResponse, PluginsResponse } from './plugins/plugins.responses.js';
export { AUDIT_OUTCOMES, type AuditOutcome, ListAuditEventsQuery } from './audit/audit-events.query.js';
export type { AuditEventPage, AuditEventResponse } from './audit/audit-events.responses.js';
export { VerifyAuditChainQuery } from './audit/audit-chain.query.js';
export { AUDIT_CHAIN_BREAKS, type AuditChainBreak, type AuditChainVerification, type AuditDigestDocument } from './audit/audit-chain.responses.js';
export { ListSendEventsQuery } from './send-events/send-events.query.js';
export type { SendEventPage, SendEventResponse } from './send-events/send-events.responses.js';
export * from './sends/read-recall.responses.js';
export { ListInboundMessagesQuery } from './inbound/list-inbound-messages.query.js';
export type { InboundMessageFields, InboundMessagePage, InboundMessageResponse } from './inbound/inbound-message.responses.js';
export * from './api-client/index.js';
export * from './node.js';
