import { Injectable } from '@nestjs/common';
import { DingTalkApi, DingTalkClient } from '@dingrelay/dingtalk-client';
import type { AuditActor } from '../audit/audit-actor.js';
import { ApplyPluginsChange } from './apply-plugins-change.js';
import type { PluginsChangeResult } from './plugins-state.js';

export interface ClearPluginsCommand {
  chatConfiguration: string;
  actor: AuditActor;
}

/** Removes every quick entry of the robot on DingTalk (`plugins/clear`) and records the empty state with its audit event. */
@Injectable()
export class ClearPluginsUseCase {
  constructor(
    private readonly client: DingTalkClient,
    private readonly change: ApplyPluginsChange,
  ) {}

  async execute(command: ClearPluginsCommand): Promise<PluginsChangeResult> {
    return this.change.execute({
      chatConfiguration: command.chatConfiguration,
      action: 'clear',
      entries: [],
      actor: command.actor,
      api: DingTalkApi.ClearPlugins,
      operation: 'clearing the quick entries',
      call: (config) => this.client.clearPlugins(config, { robotCode: config.robotCode }),
    });
  }
}
