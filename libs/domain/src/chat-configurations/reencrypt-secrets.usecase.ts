import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { SECRET_CIPHER, type SecretCipher } from '../secrets/secret-cipher.js';
import { decryptSecrets, encryptSecrets } from './chat-configuration-secrets.js';

export interface ReencryptSecretsResult {
  /** Configurations now under the active key. */
  reencrypted: string[];
  /** Configurations under a key id SECRET_ENCRYPTION_KEYS does not list: they can't be read until it is added back. */
  unknownKey: { name: string; keyId: string }[];
  /** Configurations whose secrets did not decrypt with the key of their id (wrong key material, tampered row). */
  failed: { name: string; keyId: string }[];
}

/**
 * After a new key is put first in SECRET_ENCRYPTION_KEYS, re-encrypts every row still under an older key, one row
 * per transaction (each audited as `secrets.reencrypt`), so the old key can then be removed. Safe to run again.
 */
@Injectable()
export class ReencryptSecretsUseCase {
  private readonly logger = new Logger('SecretsReencrypt');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly audit: AuditTrail,
  ) {}

  async execute(options: { names?: readonly string[] } = {}): Promise<ReencryptSecretsResult> {
    const result: ReencryptSecretsResult = { reencrypted: [], unknownKey: [], failed: [] };
    const stale: { name: string; secret_key_id: string }[] = await this.dataSource.query(
      `SELECT name, secret_key_id FROM chat_configurations
        WHERE secret_key_id <> $1 AND ($2::text[] IS NULL OR name = ANY($2)) ORDER BY name`,
      [this.cipher.activeKeyId, options.names ? [...options.names] : null],
    );
    for (const { name, secret_key_id: keyId } of stale) {
      if (!this.cipher.hasKey(keyId)) {
        result.unknownKey.push({ name, keyId });
        continue;
      }
      try {
        const done = await this.dataSource.transaction(async (tx) => {
          const repository = tx.getRepository(ChatConfigurationEntity);
          const row = await repository.findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
          if (!row || row.secretKeyId === this.cipher.activeKeyId) return false;
          const fromKeyId = row.secretKeyId;
          encryptSecrets(this.cipher, row, decryptSecrets(this.cipher, row));
          await repository.save(row);
          await this.audit.record(tx, {
            actor: systemActor('secrets-reencrypt'),
            action: 'secrets.reencrypt',
            targetType: 'chat-configuration',
            targetId: name,
            details: { fromKeyId, toKeyId: this.cipher.activeKeyId },
          });
          return true;
        });
        if (done) result.reencrypted.push(name);
      } catch (error) {
        // The message names the row and key only; a decryption error carries no secret.
        this.logger.error(`chat configuration ${name}: could not re-encrypt from key ${keyId} (${(error as Error).message})`);
        result.failed.push({ name, keyId });
      }
    }
    return result;
  }
}
