import type { DataSourceOptions } from 'typeorm';
import { BatchEntity } from './entities/batch.entity.js';
import { DeliveryPauseEntity } from './entities/delivery-pause.entity.js';
import { DingTalkUsageEntity } from './entities/dingtalk-usage.entity.js';
import { RecipientEntity } from './entities/recipient.entity.js';
import { SendEntity } from './entities/send.entity.js';
import { CreateSendTables1763700000000 } from './migrations/1763700000000-create-send-tables.js';
import { AddSendIdempotencyAndCancel1763800000000 } from './migrations/1763800000000-add-send-idempotency-and-cancel.js';
import { AddPacingPausesUsage1763900000000 } from './migrations/1763900000000-add-pacing-pauses-usage.js';

/** Listed explicitly rather than globbed: globs break under ESM and bundling, and hide what ships. */
export const ENTITIES = [SendEntity, BatchEntity, RecipientEntity, DeliveryPauseEntity, DingTalkUsageEntity];
export const MIGRATIONS = [
  CreateSendTables1763700000000,
  AddSendIdempotencyAndCancel1763800000000,
  AddPacingPausesUsage1763900000000,
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
    logging: ['error', 'warn', 'migration'],
    applicationName: settings.applicationName ?? 'dingrelay',
    extra: { max: settings.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
}
