import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { NotFoundError } from '../errors/domain.error.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { SECRET_CIPHER, type SecretCipher } from '../secrets/secret-cipher.js';
import { applyChatConfigurationChanges } from './apply-chat-configuration-changes.js';
import { ChatConfigurationDirectory } from './chat-configuration-directory.js';
import {
  assertDingTalkComplete,
  assertExistingName,
  changedFields,
  type UpdateChatConfigurationCommand,
} from './chat-configuration.commands.js';
import { decryptSecrets, encryptSecrets } from './chat-configuration-secrets.js';
import { type ChatConfigurationView, toChatConfigurationView } from './chat-configuration.view.js';

/** Changes the fields given; a new client secret re-encrypts the row's secrets under the active key. */
@Injectable()
export class UpdateChatConfigurationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly audit: AuditTrail,
    private readonly directory: ChatConfigurationDirectory,
  ) {}

  async execute(command: UpdateChatConfigurationCommand): Promise<ChatConfigurationView> {
    try {
      return await this.update(command);
    } catch (error) {
      const event = { actor: command.actor, action: 'chat-configuration.update', targetType: 'chat-configuration', targetId: command.name.slice(0, 128) };
      await this.audit.recordRefusal(this.dataSource.manager, event, error);
      throw error;
    }
  }

  private async update(command: UpdateChatConfigurationCommand): Promise<ChatConfigurationView> {
    assertExistingName(command.name);
    const saved = await this.dataSource.transaction(async (tx) => {
      const repository = tx.getRepository(ChatConfigurationEntity);
      const row = await repository.findOne({ where: { name: command.name }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundError('Chat configuration', command.name);
      applyChatConfigurationChanges(row, command);
      const newSecret = command.dingTalk?.clientSecret;
      if (newSecret !== undefined) {
        const secrets = decryptSecrets(this.cipher, row);
        encryptSecrets(this.cipher, row, { ...secrets, clientSecret: newSecret });
      }
      assertDingTalkComplete(row.type, {
        clientId: row.clientId,
        hasClientSecret: row.clientSecretEncrypted !== null,
        robotCode: row.robotCode,
      });
      row.updatedAt = new Date();
      const updated = await repository.save(row);
      await this.audit.record(tx, {
        actor: command.actor,
        action: 'chat-configuration.update',
        targetType: 'chat-configuration',
        targetId: row.name,
        details: { fields: changedFields(command) },
      });
      return updated;
    });
    this.directory.invalidate(command.name);
    return toChatConfigurationView(saved);
  }
}
