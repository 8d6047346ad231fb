import { Injectable } from '@nestjs/common';
import { DingTalkApi, DingTalkClient } from '@dingrelay/dingtalk-client';
import type { AuditActor } from '../audit/audit-actor.js';
import type { AppliedPluginEntry } from '../persistence/entities/chat-configuration-plugins.entity.js';
import { ApplyPluginsChange } from './apply-plugins-change.js';
import type { PluginsChangeResult } from './plugins-state.js';

export interface SetPluginsCommand {
  chatConfiguration: string;
  /** Already validated (contracts' SetPluginsRequest): i18n names, mediaId icons, https URLs, a bounded list. */
  plugins: AppliedPluginEntry[];
  actor: AuditActor;
}

/** Replaces the robot's quick entries on DingTalk (`plugins/set`), then records them and the audit event together. */
@Injectable()
export class SetPluginsUseCase {
  constructor(
    private readonly client: DingTalkClient,
    private readonly change: ApplyPluginsChange,
  ) {}

  async execute(command: SetPluginsCommand): Promise<PluginsChangeResult> {
    const entries = command.plugins.map(normalizeEntry);
    return this.change.execute({
      chatConfiguration: command.chatConfiguration,
      action: 'set',
      entries,
      actor: command.actor,
      api: DingTalkApi.SetPlugins,
      operation: 'setting the quick entries',
      call: (config) => this.client.setPlugins(config, { robotCode: config.robotCode, pluginInfoList: entries }),
    });
  }
}

/** Only the known fields, in a fixed order, so what is stored and sent never carries stray properties. */
function normalizeEntry(entry: AppliedPluginEntry): AppliedPluginEntry {
  const out: AppliedPluginEntry = { name: { ...entry.name }, icon: entry.icon };
  if (entry.pcUrl !== undefined) out.pcUrl = entry.pcUrl;
  if (entry.mobileUrl !== undefined) out.mobileUrl = entry.mobileUrl;
  return out;
}
