import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ChatConfigurationStatus } from '@dingrelay/contracts';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { ConflictError } from '../errors/domain.error.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { SECRET_CIPHER, type SecretCipher } from '../secrets/secret-cipher.js';
import { applyChatConfigurationChanges } from './apply-chat-configuration-changes.js';
import { generateAesKey, generateCallbackToken } from './callback-secrets.js';
import {
  assertDingTalkComplete,
  assertValidName,
  changedFields,
  type CreateChatConfigurationCommand,
} from './chat-configuration.commands.js';
import { encryptSecrets } from './chat-configuration-secrets.js';
import { type ChatConfigurationView, toChatConfigurationView } from './chat-configuration.view.js';

/** Creates a configuration with freshly generated callback secrets (AesKey, token), its secrets encrypted. */
@Injectable()
export class CreateChatConfigurationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: CreateChatConfigurationCommand): Promise<ChatConfigurationView> {
    try {
      return await this.create(command);
    } catch (error) {
      // Refusals (invalid input, a taken name) are audited too; the message never holds a secret.
      const event = { actor: command.actor, action: 'chat-configuration.create', targetType: 'chat-configuration', targetId: command.name.slice(0, 128) };
      await this.audit.recordRefusal(this.dataSource.manager, event, error);
      throw error;
    }
  }

  private async create(command: CreateChatConfigurationCommand): Promise<ChatConfigurationView> {
    assertValidName(command.name);
    const row = new ChatConfigurationEntity();
    Object.assign(row, {
      id: randomUUID(),
      name: command.name,
      status: ChatConfigurationStatus.Active,
      ramRole: null,
      resourceGroupId: null,
      tags: {},
      clientId: null,
      robotCode: null,
      templateId: null,
      callsPerSecond: null,
      paceUtilization: null,
      monthlyCallQuota: null,
    });
    applyChatConfigurationChanges(row, command);
    const clientSecret = command.dingTalk?.clientSecret ?? null;
    assertDingTalkComplete(row.type, { clientId: row.clientId, hasClientSecret: clientSecret !== null, robotCode: row.robotCode });
    const revealed = { aesKey: generateAesKey(), callbackToken: generateCallbackToken() };
    encryptSecrets(this.cipher, row, { clientSecret, ...revealed });

    // Checked first so the common case doesn't log a failed INSERT; the unique index still settles races.
    if (await this.dataSource.getRepository(ChatConfigurationEntity).existsBy({ name: command.name })) throw alreadyExists(command.name);
    try {
      const saved = await this.dataSource.transaction(async (tx) => {
        const inserted = await tx.getRepository(ChatConfigurationEntity).save(row);
        await this.audit.record(tx, {
          actor: command.actor,
          action: 'chat-configuration.create',
          targetType: 'chat-configuration',
          targetId: row.name,
          details: { type: row.type, fields: changedFields(command) },
        });
        return inserted;
      });
      return { ...toChatConfigurationView(saved), revealed };
    } catch (error) {
      throw isUniqueViolation(error) ? alreadyExists(command.name) : error;
    }
  }
}

function alreadyExists(name: string): ConflictError {
  return new ConflictError(`Chat configuration ${name} already exists`, [
    { field: 'name', message: 'is already the name of a chat configuration' },
  ]);
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === 'chat_configurations_name_key';
}
