import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ApiKeyRole } from '@dingrelay/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { ApiKeyEntity } from '../persistence/entities/api-key.entity.js';
import { generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-secret.js';
import { type ApiKeyView, toApiKeyView } from './api-key.view.js';
import { assertScopeExists } from './sender-scope.check.js';

export interface CreateApiKeyCommand {
  name: string;
  role: ApiKeyRole;
  /** Required for senders, refused for the other roles (they see every configuration). */
  chatConfigurations?: readonly string[] | null;
  expiresAt?: Date | null;
  /**
   * The deployment's default chat configuration: a scope may name it before its row exists (it is created at the
   * first start). Any other name in a scope must be an existing configuration.
   */
  defaultChatConfiguration?: string;
  actor: AuditActor;
}

export interface CreatedApiKey {
  apiKey: ApiKeyView;
  /** The key itself: returned this once, never stored. */
  key: string;
}

/** Issues a random key, stores its hash and records `api-key.create` in the same transaction. */
@Injectable()
export class CreateApiKeyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async execute(command: CreateApiKeyCommand): Promise<CreatedApiKey> {
    const generated = generateApiKey();
    const apiKey = await this.dataSource.transaction((manager) =>
      insertApiKey(manager, this.audit, command, { prefix: generated.prefix, secretHash: generated.secretHash }),
    );
    return { apiKey, key: generated.key };
  }
}

/**
 * Validates and writes one key with its audit event, inside the caller's transaction. The bootstrap path uses it with
 * a key chosen by the operator (already checked for format), the API with a generated one.
 */
export async function insertApiKey(
  manager: EntityManager,
  audit: AuditTrail,
  command: CreateApiKeyCommand,
  secret: { prefix: string; secretHash: Buffer },
): Promise<ApiKeyView> {
  const scope = command.chatConfigurations ?? null;
  if (command.role === 'sender' && (!scope || scope.length === 0)) {
    throw new InvalidInputError('chatConfigurations', 'a sender key must name the chat configurations it may use');
  }
  if (command.role !== 'sender' && scope !== null) {
    throw new InvalidInputError('chatConfigurations', `only sender keys are scoped; a ${command.role} key sees every configuration`);
  }
  if (command.expiresAt && command.expiresAt.getTime() <= Date.now()) {
    throw new InvalidInputError('expiresAt', 'must be in the future');
  }
  if (scope) await assertScopeExists(manager, scope, command.defaultChatConfiguration);
  const row = manager.create(ApiKeyEntity, {
    id: randomUUID(),
    name: command.name,
    role: command.role,
    chatConfigurations: scope ? [...new Set(scope)] : null,
    prefix: secret.prefix,
    secretHash: secret.secretHash,
    createdBy: command.actor.name,
    createdByKeyId: command.actor.apiKeyId,
    expiresAt: command.expiresAt ?? null,
    revokedAt: null,
    lastUsedAt: null,
  });
  await manager.insert(ApiKeyEntity, row);
  const saved = await manager.findOneByOrFail(ApiKeyEntity, { id: row.id });
  await audit.record(manager, {
    actor: command.actor,
    action: 'api-key.create',
    targetType: 'api-key',
    targetId: saved.id,
    details: { name: saved.name, role: saved.role, chatConfigurations: saved.chatConfigurations, prefix: saved.prefix, expiresAt: saved.expiresAt },
  });
  return toApiKeyView(saved);
}

/** For keys chosen outside dingrelay (the bootstrap variable): the prefix and hash to store, or undefined if malformed. */
export function secretOf(key: string): { prefix: string; secretHash: Buffer } | undefined {
  if (!isWellFormedApiKey(key)) return undefined;
  return { prefix: key.slice(4, 16), secretHash: hashApiKey(key) };
}
