import { type DynamicModule, Module } from '@nestjs/common';
import { type DingTalkClientOptions } from '@dingrelay/dingtalk-client';
import { DingTalkAccessModule } from '../dingtalk/dingtalk-access.module.js';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { FollowUpCall } from '../read-status/follow-up-call.js';
import { PollReadStatusUseCase } from '../read-status/poll-read-status.usecase.js';
import { ReadStatusScanner } from '../read-status/read-status.scanner.js';
import {
  DEFAULT_READ_TRACKING_SETTINGS,
  READ_TRACKING_SETTINGS,
  type ReadTrackingSettings,
} from '../read-status/read-tracking.settings.js';
import { RecallScanner } from '../recall/recall.scanner.js';
import { RecallSendUseCase } from '../recall/recall-send.usecase.js';
import { BatchClaims } from './batch-claim.js';
import { BatchReconciler } from './batch-reconciler.js';
import { BatchSettlements } from './batch-settlements.js';
import { DeliverBatchProcessor } from './deliver-batch.processor.js';
import { DeliverBatchUseCase } from './deliver-batch.usecase.js';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';
import { WorkerDrain } from './worker-drain.js';

export interface DeliveryModuleOptions {
  dingtalk: DingTalkClientOptions;
  settings?: Partial<DeliverySettings>;
  limits?: Partial<DingTalkLimits>;
  /** readStatus polling and recall (schedule, scan interval, leases). */
  readTracking?: Partial<ReadTrackingSettings>;
}

/**
 * Everything a worker process runs: the deliver-batch processor, its use-case and the reconciler. Expects
 * ChatConfigurationsModule (the configurations deliveries go through).
 */
@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryModuleOptions): DynamicModule {
    const settings: DeliverySettings = { ...DEFAULT_DELIVERY_SETTINGS, ...options.settings };
    return {
      module: DeliveryModule,
      imports: [DingTalkAccessModule.forRoot({ dingtalk: options.dingtalk, paceInlineWaitMs: settings.paceInlineWaitMs })],
      providers: [
        { provide: DELIVERY_SETTINGS, useValue: settings },
        { provide: DINGTALK_LIMITS_SETTINGS, useValue: { ...DEFAULT_DINGTALK_LIMITS, ...options.limits } },
        BatchClaims,
        BatchSettlements,
        DeliverBatchUseCase,
        DeliverBatchProcessor,
        BatchReconciler,
        { provide: READ_TRACKING_SETTINGS, useValue: { ...DEFAULT_READ_TRACKING_SETTINGS, ...options.readTracking } },
        FollowUpCall,
        PollReadStatusUseCase,
        ReadStatusScanner,
        RecallSendUseCase,
        RecallScanner,
        WorkerDrain,
      ],
      exports: [WorkerDrain, DeliverBatchUseCase, BatchReconciler, PollReadStatusUseCase, ReadStatusScanner, RecallSendUseCase, RecallScanner, DingTalkAccessModule],
    };
  }
}
