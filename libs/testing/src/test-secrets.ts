import { randomBytes } from 'node:crypto';

let processKeys: string | undefined;

/**
 * SECRET_ENCRYPTION_KEYS for the apps a test process starts (and the worker processes it spawns): one key made up
 * for this process, never a committed one. Its id is unique too, so rows other test processes wrote under their
 * own keys in the shared database are recognisably not readable here rather than failing to decrypt.
 */
export function testSecretEncryptionKeys(): string {
  processKeys ??= process.env['TEST_SECRET_ENCRYPTION_KEYS'] ?? `t${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
  return processKeys;
}
