/**
 * Every response interface of @dingrelay/contracts fits the schema the document gives it (what the server
 * returns is what a generated client expects), and every error schema fits ApiErrorBody. Compiled by the
 * typed-client test next to the generated `dingrelay-api.d.ts`: a schema that drifts from its contract fails it.
 */
import type {
  ApiErrorBody,
  ApiKeyListResponse,
  ApiKeyResponse,
  AuditEventPage,
  CancelSendResponse,
  ChatConfigurationResponse,
  CreatedApiKeyResponse,
  CreateSendResponse,
  DeleteChatConfigurationResponse,
  ExportLinkResponse,
  HistoryPage,
  InboundMessagePage,
  ListChatConfigurationsResponse,
  ListRecipientsResponse,
  PluginsChangeResponse,
  PluginsResponse,
  RecallSendResponse,
  RecipientHistoryItem,
  RefreshReadStatusResponse,
  SendEventPage,
  SendHistoryItem,
  SendStatsResponse,
  SendStatusResponse,
  UsageResponse,
} from '@dingrelay/contracts/client';
import type { components } from './dingrelay-api.js';

type S = components['schemas'];
/** Compiles only when T is assignable to U. */
type Fits<T extends U, U> = [T, U];

export type ResponsesFitTheirSchemas = [
  Fits<CreateSendResponse, S['CreateSendResponse']>,
  Fits<SendStatusResponse, S['SendStatusResponse']>,
  Fits<CancelSendResponse, S['CancelSendResponse']>,
  Fits<ListRecipientsResponse, S['RecipientPage']>,
  Fits<SendEventPage, S['SendEventPage']>,
  Fits<RecallSendResponse, S['RecallSendResponse']>,
  Fits<RefreshReadStatusResponse, S['RefreshReadStatusResponse']>,
  Fits<HistoryPage<SendHistoryItem>, S['SendHistoryPage']>,
  Fits<HistoryPage<RecipientHistoryItem>, S['RecipientHistoryPage']>,
  Fits<ExportLinkResponse, S['ExportLink']>,
  Fits<SendStatsResponse, S['SendStats']>,
  Fits<UsageResponse, S['Usage']>,
  Fits<AuditEventPage, S['AuditEventPage']>,
  Fits<ApiKeyResponse, S['ApiKey']>,
  Fits<CreatedApiKeyResponse, S['CreatedApiKey']>,
  Fits<ApiKeyListResponse, S['ApiKeyPage']>,
  Fits<ChatConfigurationResponse, S['ChatConfiguration']>,
  Fits<ListChatConfigurationsResponse, S['ChatConfigurationPage']>,
  Fits<DeleteChatConfigurationResponse, S['DeletedChatConfiguration']>,
  Fits<PluginsResponse, S['Plugins']>,
  Fits<PluginsChangeResponse, S['PluginsChange']>,
  Fits<InboundMessagePage, S['InboundMessagePage']>,
];

export type ErrorSchemasFitApiErrorBody = [
  Fits<S['ValidationError'], ApiErrorBody>,
  Fits<S['UnauthorizedError'], ApiErrorBody>,
  Fits<S['ForbiddenError'], ApiErrorBody>,
  Fits<S['NotFoundError'], ApiErrorBody>,
  Fits<S['ConflictError'], ApiErrorBody>,
  Fits<S['GoneError'], ApiErrorBody>,
  Fits<S['PayloadTooLargeError'], ApiErrorBody>,
  Fits<S['UnsupportedMediaTypeError'], ApiErrorBody>,
  Fits<S['DingTalkRejectedError'], ApiErrorBody>,
  Fits<S['TooManyRequestsError'], ApiErrorBody>,
  Fits<S['InternalError'], ApiErrorBody>,
  Fits<S['ServiceUnavailableError'], ApiErrorBody>,
];
