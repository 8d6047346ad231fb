import { Inject, Injectable } from '@nestjs/common';
import type { DingTalkApi } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
} from '../chat-configurations/chat-configuration.js';
import { DomainError } from '../errors/domain.error.js';
import type { AppliedPluginEntry } from '../persistence/entities/chat-configuration-plugins.entity.js';
import { PacedDingTalkCall } from './paced-dingtalk-call.js';
import { resolvePluginTarget } from './plugin-target.js';
import { type PluginsAction, type PluginsChangeResult, recordApplied, recordRefused, toAppliedView } from './plugins-state.js';

export interface PluginsChange {
  chatConfiguration: string;
  action: PluginsAction;
  /** The entries the robot has once DingTalk accepted the call (none after a clear). */
  entries: AppliedPluginEntry[];
  actor: AuditActor;
  api: DingTalkApi;
  /** Says what the call does, in a 503 when the app's pace has no slot soon enough. */
  operation: string;
  call: (config: ChatConfigurationCredentials) => Promise<unknown>;
}

/**
 * The one way a robot's quick entries change (set or clear): the configuration must be an active DingTalk one, the
 * call is paced with the app's other calls, a refusal is audited as failed with nothing else written, and what DingTalk
 * accepted is recorded together with its audit event.
 */
@Injectable()
export class ApplyPluginsChange {
  constructor(
    private readonly dataSource: DataSource,
    private readonly paced: PacedDingTalkCall,
    private readonly audit: AuditTrail,
    @Inject(CHAT_CONFIGURATION_CREDENTIALS) private readonly configurations: ChatConfigurationCredentialsSource,
  ) {}

  async execute(change: PluginsChange): Promise<PluginsChangeResult> {
    let config: ChatConfigurationCredentials;
    try {
      // Inside: a change to a configuration that does not exist (or is not an active DingTalk one) is audited too.
      config = await resolvePluginTarget(this.configurations, change.chatConfiguration);
      await this.paced.run(config, change.api, change.operation, () => change.call(config));
    } catch (err) {
      if (err instanceof DomainError) {
        await this.dataSource.transaction((tx) =>
          recordRefused(tx, this.audit, { chatConfiguration: change.chatConfiguration, action: change.action, actor: change.actor, error: err }),
        );
      }
      throw err;
    }
    const row = await this.dataSource.transaction((tx) =>
      recordApplied(tx, this.audit, {
        chatConfiguration: config.name,
        robotCode: config.robotCode,
        action: change.action,
        entries: change.entries,
        actor: change.actor,
      }),
    );
    return { chatConfiguration: config.name, robotCode: config.robotCode, applied: toAppliedView(row) };
  }
}
