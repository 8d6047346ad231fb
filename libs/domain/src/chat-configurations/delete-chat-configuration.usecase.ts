import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { ChatConfigurationDirectory } from './chat-configuration-directory.js';
import { assertExistingName } from './chat-configuration.commands.js';

/**
 * Deletes a configuration nothing is being sent through. The row lock orders this against CreateSendUseCase, which
 * holds a share lock on the configuration while it records a send: neither can slip past the other's check.
 */
@Injectable()
export class DeleteChatConfigurationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly directory: ChatConfigurationDirectory,
  ) {}

  async execute(command: { actor: AuditActor; name: string }): Promise<void> {
    try {
      await this.delete(command);
    } catch (error) {
      const event = { actor: command.actor, action: 'chat-configuration.delete', targetType: 'chat-configuration', targetId: command.name.slice(0, 128) };
      await this.audit.recordRefusal(this.dataSource.manager, event, error);
      throw error;
    }
  }

  private async delete(command: { actor: AuditActor; name: string }): Promise<void> {
    assertExistingName(command.name);
    await this.dataSource.transaction(async (tx) => {
      const row = await tx
        .getRepository(ChatConfigurationEntity)
        .findOne({ where: { name: command.name }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundError('Chat configuration', command.name);
      const [open]: { count: string }[] = await tx.query(
        `SELECT count(*) AS count FROM sends WHERE chat_configuration = $1 AND completed_at IS NULL`,
        [command.name],
      );
      const inProgress = Number(open?.count ?? 0);
      if (inProgress > 0) {
        throw new ConflictError(
          `Chat configuration ${command.name} has ${inProgress} send(s) in progress; cancel them or wait until they complete`,
          [{ field: 'name', message: 'has sends in progress' }],
        );
      }
      await tx.query(`DELETE FROM chat_configurations WHERE id = $1`, [row.id]);
      await this.audit.record(tx, {
        actor: command.actor,
        action: 'chat-configuration.delete',
        targetType: 'chat-configuration',
        targetId: command.name,
        details: { type: row.type },
      });
    });
    this.directory.invalidate(command.name);
  }
}
