import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { registerSecret } from '../logging/redact-secrets.js';

/** Injection token for the process's SecretCipher. */
export const SECRET_CIPHER = Symbol('SECRET_CIPHER');

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const FORMAT = 'v1';

/** A SECRET_ENCRYPTION_KEYS value that can't be used; the message never contains key material. */
export class SecretKeysError extends Error {}

/**
 * Parses `SECRET_ENCRYPTION_KEYS`: `id:<base64 of 32 bytes>` entries separated by commas, the first being the key new
 * secrets are encrypted with and the rest older keys still needed to read rows written before a rotation.
 */
export function parseSecretEncryptionKeys(value: string): { activeKeyId: string; keys: Map<string, Buffer> } {
  const keys = new Map<string, Buffer>();
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new SecretKeysError('must list at least one key as id:<base64 of 32 bytes>');
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id)) {
      throw new SecretKeysError(`entry ${index + 1} must start with a key id of 1-32 letters, digits, "_" or "-" and a colon`);
    }
    const material = entry.slice(colon + 1);
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new SecretKeysError(`key ${id} must be 32 bytes, base64-encoded`);
    if (keys.has(id)) throw new SecretKeysError(`key id ${id} appears twice`);
    keys.set(id, key);
  }
  return { activeKeyId: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

/** A fresh key entry for SECRET_ENCRYPTION_KEYS, e.g. for a development environment. */
export function generateSecretEncryptionKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * AES-256-GCM for secrets stored in Postgres. Each ciphertext is bound (as additional data) to the row and column it
 * belongs to, so a ciphertext copied into another row or column fails to decrypt rather than lending its secret.
 */
export class SecretCipher {
  readonly activeKeyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(encryptionKeys: string) {
    const parsed = parseSecretEncryptionKeys(encryptionKeys);
    this.activeKeyId = parsed.activeKeyId;
    this.keys = parsed.keys;
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Encrypts under the active key; store the result with `activeKeyId`. */
  encrypt(plaintext: string, context: string): string {
    // Whatever is worth encrypting is worth keeping out of this process's logs.
    registerSecret(plaintext);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.activeKeyId), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  decrypt(keyId: string, stored: string, context: string): string {
    const [format, iv, tag, body] = stored.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || body === undefined) {
      throw new Error(`stored secret (${context}) is not in format ${FORMAT}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    registerSecret(plaintext);
    return plaintext;
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret encryption key ${keyId} is not in SECRET_ENCRYPTION_KEYS`);
    return key;
  }
}
