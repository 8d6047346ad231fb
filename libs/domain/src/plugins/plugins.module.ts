import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { type DingTalkClientOptions } from '@dingrelay/dingtalk-client';
import { AuditModule } from '../audit/audit.module.js';
import { DingTalkAccessModule } from '../dingtalk/dingtalk-access.module.js';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { ApplyPluginsChange } from './apply-plugins-change.js';
import { ClearPluginsUseCase } from './clear-plugins.usecase.js';
import { GetPluginsUseCase } from './get-plugins.usecase.js';
import { PacedDingTalkCall } from './paced-dingtalk-call.js';
import { SetPluginsUseCase } from './set-plugins.usecase.js';

export interface PluginsModuleOptions {
  dingtalk: DingTalkClientOptions;
  limits?: Partial<DingTalkLimits>;
  /** A request waits this long at most for the app's next pace slot before it is answered 503 (default 2 000). */
  paceInlineWaitMs?: number;
}

/**
 * Robot quick entries (spec §6): synchronous DingTalk calls from the API, paced with the app's other calls.
 * Configurations come from the CHAT_CONFIGURATION_CREDENTIALS provider the process registers globally.
 */
@Module({})
export class PluginsModule {
  static forRoot(options: PluginsModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: DINGTALK_LIMITS_SETTINGS, useValue: { ...DEFAULT_DINGTALK_LIMITS, ...options.limits } },
      PacedDingTalkCall,
      ApplyPluginsChange,
      SetPluginsUseCase,
      ClearPluginsUseCase,
      GetPluginsUseCase,
    ];
    return {
      module: PluginsModule,
      imports: [AuditModule, DingTalkAccessModule.forRoot({ dingtalk: options.dingtalk, paceInlineWaitMs: options.paceInlineWaitMs ?? 2_000 })],
      providers,
      exports: [SetPluginsUseCase, ClearPluginsUseCase, GetPluginsUseCase],
    };
  }
}
