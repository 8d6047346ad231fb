import { Inject, Injectable } from '@nestjs/common';
import { DingTalkApi, DingTalkClient } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { DomainError } from '../errors/domain.error.js';
import type { AppliedPluginEntry } from '../persistence/entities/chat-configuration-plugins.entity.js';
import { PacedDingTalkCall } from './paced-dingtalk-call.js';
import { resolvePluginTarget } from './plugin-target.js';
import { type PluginsChangeResult, recordApplied, recordRefused, toAppliedView } from './plugins-state.js';

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
    private readonly dataSource: DataSource,
    private readonly client: DingTalkClient,
    private readonly paced: PacedDingTalkCall,
    private readonly audit: AuditTrail,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
  ) {}

  async execute(command: SetPluginsCommand): Promise<PluginsChangeResult> {
    const config = await resolvePluginTarget(this.configurations, command.chatConfiguration);
    const entries = command.plugins.map(normalizeEntry);
    try {
      await this.paced.run(config, DingTalkApi.SetPlugins, 'setting the quick entries', () =>
        this.client.setPlugins(config, { robotCode: config.robotCode, pluginInfoList: entries }),
      );
    } catch (err) {
      if (err instanceof DomainError) {
        await this.dataSource.transaction((tx) =>
          recordRefused(tx, this.audit, { chatConfiguration: config.name, action: 'set', actor: command.actor, error: err }),
        );
      }
      throw err;
    }
    const row = await this.dataSource.transaction((tx) =>
      recordApplied(tx, this.audit, { chatConfiguration: config.name, robotCode: config.robotCode, action: 'set', entries, actor: command.actor }),
    );
    return { chatConfiguration: config.name, robotCode: config.robotCode, applied: toAppliedView(row) };
  }
}

/** Only the known fields, in a fixed order, so what is stored and sent never carries stray properties. */
function normalizeEntry(entry: AppliedPluginEntry): AppliedPluginEntry {
  const out: AppliedPluginEntry = { name: { ...entry.name }, icon: entry.icon };
  if (entry.pcUrl !== undefined) out.pcUrl = entry.pcUrl;
  if (entry.mobileUrl !== undefined) out.mobileUrl = entry.mobileUrl;
  return out;
}
