import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { ChatConfigurationDirectory } from './chat-configuration-directory.js';
import { assertExistingName } from './chat-configuration.commands.js';

/**
 * Deletes a configuration nothing is being sent through. The row lock orders this against CreateSendUseCase, which
 * holds a share lock on the configuration while it records a send: neither can slip past the other's check.
 *
 * Its name leaves every sender key's scope in the same transaction: a configuration created later under the name is
 * another one, which no key was given (issue #13, finding 9c). A key issued meanwhile waits for this row (the scope
 * check share-locks it) and then finds no such configuration. The audit event names the keys that lost the name; a
 * key left with none may use no configuration.
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
      const unscoped = await removeFromSenderScopes(tx, command.name);
      await this.audit.record(tx, {
        actor: command.actor,
        action: 'chat-configuration.delete',
        targetType: 'chat-configuration',
        targetId: command.name,
        details: { type: row.type, id: row.id, apiKeysUnscoped: unscoped.length, apiKeyIds: unscoped },
      });
    });
    this.directory.invalidate(command.name);
  }
}

/** Takes `name` out of every key's scope (revoked keys' too: nothing should revive it); the ids of the keys changed. */
async function removeFromSenderScopes(tx: EntityManager, name: string): Promise<string[]> {
  const [rows]: [{ id: string }[], number] = await tx.query(
    `UPDATE api_keys SET chat_configurations = array_remove(chat_configurations, $1) WHERE $1 = ANY(chat_configurations) RETURNING id`,
    [name],
  );
  return rows.map((r) => r.id).sort();
}
