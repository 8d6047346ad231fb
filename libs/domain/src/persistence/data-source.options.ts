import type { DataSourceOptions } from 'typeorm';
import { DatabaseLogger } from '../logging/database-logger.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { BatchEntity } from './entities/batch.entity.js';
import { ChatConfigurationEntity } from './entities/chat-configuration.entity.js';
import { DeliveryPauseEntity } from './entities/delivery-pause.entity.js';
import { DingTalkUsageEntity } from './entities/dingtalk-usage.entity.js';
import { RecipientEntity } from './entities/recipient.entity.js';
import { SendEventEntity } from './entities/send-event.entity.js';
import { SendEntity } from './entities/send.entity.js';
import { ChatConfigurationPluginsEntity } from './entities/chat-configuration-plugins.entity.js';
import { InboundMessageEntity } from './entities/inbound-message.entity.js';
import { CreateSendTables1763700000000 } from './migrations/1763700000000-create-send-tables.js';
import { AddSendIdempotencyAndCancel1763800000000 } from './migrations/1763800000000-add-send-idempotency-and-cancel.js';
import { AddPacingPausesUsage1763900000000 } from './migrations/1763900000000-add-pacing-pauses-usage.js';
import { AddAuditAndSendEvents1764000000000 } from './migrations/1764000000000-add-audit-and-send-events.js';
import { AddRetentionIndex1764000000001 } from './migrations/1764000000001-add-retention-index.js';
import { AddReadStatusAndRecall1764100000000 } from './migrations/1764100000000-add-read-status-and-recall.js';
import { CreateChatConfigurations1764200000000 } from './migrations/1764200000000-create-chat-configurations.js';
import { CreateApiKeys1764300000000 } from './migrations/1764300000000-create-api-keys.js';
import { CreateInboundMessages1764400000000 } from './migrations/1764400000000-create-inbound-messages.js';
import { CreateChatConfigurationPlugins1764500000000 } from './migrations/1764500000000-create-chat-configuration-plugins.js';
import { AddHistoryIndexes1764600000000 } from './migrations/1764600000000-add-history-indexes.js';
import { KeepSendOutcome1764700000000 } from './migrations/1764700000000-keep-send-outcome.js';
import { GrantRuntimePrivileges1764800000000 } from './migrations/1764800000000-grant-runtime-privileges.js';
import { ScopeIdempotencyKeys1765000000000 } from './migrations/1765000000000-scope-idempotency-keys.js';
import { OneKeyFromRecipientsToBatches1765200000000 } from './migrations/1765200000000-one-key-from-recipients-to-batches.js';
import { ChainAuditEvents1764900000000 } from './migrations/1764900000000-chain-audit-events.js';
import { RecordSendConfigurationIds1765300000000 } from './migrations/1765300000000-record-send-configuration-ids.js';
import { PruneStaleSenderScopes1765300000001 } from './migrations/1765300000001-prune-stale-sender-scopes.js';

/** Listed explicitly rather than globbed: globs break under ESM and bundling, and hide what ships. */
export const ENTITIES = [SendEntity, BatchEntity, RecipientEntity, DeliveryPauseEntity, DingTalkUsageEntity, AuditEventEntity, SendEventEntity, ApiKeyEntity, ChatConfigurationEntity, InboundMessageEntity, ChatConfigurationPluginsEntity];
export const MIGRATIONS = [
  CreateSendTables1763700000000,
  AddSendIdempotencyAndCancel1763800000000,
  AddPacingPausesUsage1763900000000,
  AddAuditAndSendEvents1764000000000,
  AddRetentionIndex1764000000001,
  AddReadStatusAndRecall1764100000000,
  CreateChatConfigurations1764200000000,
  CreateApiKeys1764300000000,
  CreateInboundMessages1764400000000,
  CreateChatConfigurationPlugins1764500000000,
  AddHistoryIndexes1764600000000,
  KeepSendOutcome1764700000000,
  GrantRuntimePrivileges1764800000000,
  ChainAuditEvents1764900000000,
  ScopeIdempotencyKeys1765000000000,
  OneKeyFromRecipientsToBatches1765200000000,
  RecordSendConfigurationIds1765300000000,
  PruneStaleSenderScopes1765300000001,
];

export interface DatabaseSettings {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Shown in pg_stat_activity, to tell the api's connections from the worker's. */
  applicationName?: string;
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // The schema needs no extension (ids default to core gen_random_uuid()); the runtime role may not create one,
    // and TypeORM's attempt only warns every start to "install uuid-ossp with superuser rights".
    installExtensions: false,
    logging: ['error', 'warn', 'migration'],
    logger: new DatabaseLogger(),
    applicationName: settings.applicationName ?? 'dingrelay',
    extra: { max: settings.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
}
