import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { systemActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { SECRET_CIPHER, type SecretCipher } from '../secrets/secret-cipher.js';
import { generateAesKey, generateCallbackToken } from './callback-secrets.js';
import { encryptSecrets } from './chat-configuration-secrets.js';

/** The environment-configured app (DINGTALK_APP_KEY/SECRET/ROBOT_CODE) that becomes a configuration at first start. */
export interface FirstStartChatConfiguration {
  name: string;
  appKey: string;
  appSecret: string;
  robotCode: string;
}

export const FIRST_START_CHAT_CONFIGURATION = Symbol('FIRST_START_CHAT_CONFIGURATION');

/**
 * Creates the environment's app as a configuration unless one of that name exists. The API and the worker both do
 * this at start; `ON CONFLICT DO NOTHING` makes concurrent starts create it once. An existing configuration is never
 * changed: after the first start the table, not the environment, is the record.
 */
@Injectable()
export class FirstStartChatConfigurationCreator implements OnApplicationBootstrap {
  private readonly logger = new Logger('ChatConfigurations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly audit: AuditTrail,
    @Inject(FIRST_START_CHAT_CONFIGURATION) private readonly configuration: FirstStartChatConfiguration | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.configuration) await this.ensure(this.configuration);
  }

  /** True when this call created it. */
  async ensure(configuration: FirstStartChatConfiguration): Promise<boolean> {
    const row = new ChatConfigurationEntity();
    row.id = randomUUID();
    encryptSecrets(this.cipher, row, {
      clientSecret: configuration.appSecret,
      aesKey: generateAesKey(),
      callbackToken: generateCallbackToken(),
    });
    const created = await this.dataSource.transaction(async (tx) => {
      const [inserted]: { id: string }[] = await tx.query(
        `INSERT INTO chat_configurations (id, name, type, status, client_id, client_secret_encrypted, robot_code,
                                          aes_key_encrypted, callback_token_encrypted, secret_key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (name) DO NOTHING
         RETURNING id`,
        [
          row.id, configuration.name, ChatConfigurationType.DingTalk, ChatConfigurationStatus.Active, configuration.appKey,
          row.clientSecretEncrypted, configuration.robotCode, row.aesKeyEncrypted, row.callbackTokenEncrypted, row.secretKeyId,
        ],
      );
      if (!inserted) return false;
      await this.audit.record(tx, {
        actor: systemActor('first-start'),
        action: 'chat-configuration.create',
        targetType: 'chat-configuration',
        targetId: configuration.name,
        details: { type: ChatConfigurationType.DingTalk, source: 'environment' },
      });
      return true;
    });
    if (created) this.logger.log(`created chat configuration ${configuration.name} from DINGTALK_APP_KEY and DINGTALK_ROBOT_CODE`);
    return created;
  }
}
