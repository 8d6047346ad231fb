import { Inject, Injectable } from '@nestjs/common';
import { DingTalkApi, DingTalkClient } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { DomainError } from '../errors/domain.error.js';
import { PacedDingTalkCall } from './paced-dingtalk-call.js';
import { resolvePluginTarget } from './plugin-target.js';
import { type PluginsChangeResult, recordApplied, recordRefused, toAppliedView } from './plugins-state.js';

export interface ClearPluginsCommand {
  chatConfiguration: string;
  actor: AuditActor;
}

/** Removes every quick entry of the robot on DingTalk (`plugins/clear`) and records the empty state with its audit event. */
@Injectable()
export class ClearPluginsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DingTalkClient,
    private readonly paced: PacedDingTalkCall,
    private readonly audit: AuditTrail,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
  ) {}

  async execute(command: ClearPluginsCommand): Promise<PluginsChangeResult> {
    const config = await resolvePluginTarget(this.configurations, command.chatConfiguration);
    try {
      await this.paced.run(config, DingTalkApi.ClearPlugins, 'clearing the quick entries', () =>
        this.client.clearPlugins(config, { robotCode: config.robotCode }),
      );
    } catch (err) {
      if (err instanceof DomainError) {
        await this.dataSource.transaction((tx) =>
          recordRefused(tx, this.audit, { chatConfiguration: config.name, action: 'clear', actor: command.actor, error: err }),
        );
      }
      throw err;
    }
    const row = await this.dataSource.transaction((tx) =>
      recordApplied(tx, this.audit, { chatConfiguration: config.name, robotCode: config.robotCode, action: 'clear', entries: [], actor: command.actor }),
    );
    return { chatConfiguration: config.name, robotCode: config.robotCode, applied: toAppliedView(row) };
  }
}
