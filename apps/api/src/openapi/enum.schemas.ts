import {
  API_KEY_ROLES,
  AUDIT_CHAIN_BREAKS,
  AUDIT_OUTCOMES,
  CHAT_CONFIGURATION_STATUSES,
  CHAT_CONFIGURATION_TYPES,
  DELIVERY_POLICIES,
  EXPORT_FORMATS,
  MSG_KEYS,
  RECIPIENT_STATUSES,
  RecipientReadStatus,
  RecipientRecallStatus,
  SEND_STATS_INTERVALS,
  SEND_STATUSES,
} from '@dingrelay/contracts';
import type { SchemaObject } from './send.schemas.js';

const enumOf = (values: readonly string[], description: string): SchemaObject => ({ type: 'string', enum: [...values], description });

/**
 * Every enum of the API under its own name, from the contracts' constants: a generated Java or Go client gets one
 * `MsgKey` type shared by the request, the responses and the filters instead of an anonymous enum per field.
 */
export const ENUM_SCHEMAS = {
  MsgKey: enumOf(MSG_KEYS, 'DingTalk message template'),
  SendStatus: enumOf(SEND_STATUSES, 'Where a send stands'),
  RecipientStatus: enumOf(RECIPIENT_STATUSES, 'Where one recipient of a send stands'),
  DeliveryPolicy: enumOf(DELIVERY_POLICIES, 'What to do when a DingTalk call may or may not have delivered'),
  ReadStatus: enumOf(Object.values(RecipientReadStatus), "A delivered recipient's read state, as DingTalk last reported it"),
  RecallStatus: enumOf(Object.values(RecipientRecallStatus), 'How a recall ended for a recipient'),
  ApiKeyRole: enumOf(API_KEY_ROLES, 'What a key may do'),
  ChatConfigurationType: enumOf(CHAT_CONFIGURATION_TYPES, 'What a chat configuration connects to; only DingTalk ones send'),
  ChatConfigurationStatus: enumOf(CHAT_CONFIGURATION_STATUSES, 'An inactive configuration is kept but refuses new sends'),
  AuditOutcome: enumOf(AUDIT_OUTCOMES, 'Whether the recorded action succeeded'),
  AuditChainBreakReason: enumOf(
    AUDIT_CHAIN_BREAKS,
    "content: the event was changed; link: it does not point at the previous hash; missing: a position is skipped (deleted); digest: another hash at the digest's position (rewritten); truncated: the chain ends before the digest's count",
  ),
  AuditDigestSignatureCheck: enumOf(['valid', 'invalid', 'unchecked'], 'unchecked without AUDIT_DIGEST_KEY on the API, or without digestAt and digestSignature'),
  ExportFormat: enumOf(EXPORT_FORMATS, 'csv (RFC 4180, UTF-8) or ndjson (one JSON object per line)'),
  SendStatsInterval: enumOf(SEND_STATS_INTERVALS, 'Bucket size'),
} as const satisfies Record<string, SchemaObject>;

export type EnumName = keyof typeof ENUM_SCHEMAS;
