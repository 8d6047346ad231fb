import type { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import type { SecretCipher } from '../secrets/secret-cipher.js';

/** The encrypted columns of a chat configuration, each bound to its row and column as additional data. */
export const SECRET_COLUMNS = ['clientSecretEncrypted', 'aesKeyEncrypted', 'callbackTokenEncrypted'] as const;
export type SecretColumn = (typeof SECRET_COLUMNS)[number];

export function secretContext(rowId: string, column: SecretColumn): string {
  return `chat_configurations.${column}:${rowId}`;
}

export interface PlainSecrets {
  clientSecret: string | null;
  aesKey: string;
  callbackToken: string;
}

export function decryptSecrets(cipher: SecretCipher, row: ChatConfigurationEntity): PlainSecrets {
  return {
    clientSecret: row.clientSecretEncrypted
      ? cipher.decrypt(row.secretKeyId, row.clientSecretEncrypted, secretContext(row.id, 'clientSecretEncrypted'))
      : null,
    aesKey: cipher.decrypt(row.secretKeyId, row.aesKeyEncrypted, secretContext(row.id, 'aesKeyEncrypted')),
    callbackToken: cipher.decrypt(row.secretKeyId, row.callbackTokenEncrypted, secretContext(row.id, 'callbackTokenEncrypted')),
  };
}

/** Sets every secret column of `row` from `secrets`, encrypted under the active key. */
export function encryptSecrets(cipher: SecretCipher, row: ChatConfigurationEntity, secrets: PlainSecrets): void {
  row.secretKeyId = cipher.activeKeyId;
  row.clientSecretEncrypted =
    secrets.clientSecret === null ? null : cipher.encrypt(secrets.clientSecret, secretContext(row.id, 'clientSecretEncrypted'));
  row.aesKeyEncrypted = cipher.encrypt(secrets.aesKey, secretContext(row.id, 'aesKeyEncrypted'));
  row.callbackTokenEncrypted = cipher.encrypt(secrets.callbackToken, secretContext(row.id, 'callbackTokenEncrypted'));
}
