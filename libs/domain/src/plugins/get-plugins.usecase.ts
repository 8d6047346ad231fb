import { Inject, Injectable } from '@nestjs/common';
import { DingTalkApi, DingTalkClient, type RobotPluginInfo } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentialsSource } from '../chat-configurations/chat-configuration.js';
import { ChatConfigurationPluginsEntity } from '../persistence/entities/chat-configuration-plugins.entity.js';
import { PacedDingTalkCall } from './paced-dingtalk-call.js';
import { resolvePluginTarget } from './plugin-target.js';
import { type AppliedPluginsView, toAppliedView } from './plugins-state.js';

export interface PluginsView {
  chatConfiguration: string;
  robotCode: string;
  /** What DingTalk reports now (`plugins/query`). */
  live: RobotPluginInfo[];
  /** What dingrelay last applied, or null if it never changed this robot's entries. */
  lastApplied: AppliedPluginsView | null;
}

/** The robot's quick entries as DingTalk has them, next to the state dingrelay last applied. */
@Injectable()
export class GetPluginsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DingTalkClient,
    private readonly paced: PacedDingTalkCall,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
  ) {}

  async execute(chatConfiguration: string): Promise<PluginsView> {
    const config = await resolvePluginTarget(this.configurations, chatConfiguration);
    const live = await this.paced.run(config, DingTalkApi.QueryPlugins, 'querying the quick entries', () =>
      this.client.queryPlugins(config, { robotCode: config.robotCode }),
    );
    const row = await this.dataSource.getRepository(ChatConfigurationPluginsEntity).findOneBy({ chatConfiguration: config.name });
    return { chatConfiguration: config.name, robotCode: config.robotCode, live: live.pluginInfoList, lastApplied: row ? toAppliedView(row) : null };
  }
}
