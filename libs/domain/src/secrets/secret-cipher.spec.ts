import { randomBytes } from 'node:crypto';
import { generateSecretEncryptionKey, parseSecretEncryptionKeys, SecretCipher, SecretKeysError } from './secret-cipher.js';

describe('SecretCipher', () => {
  const k1 = generateSecretEncryptionKey('k1');
  const k2 = generateSecretEncryptionKey('k2');

  it('round-trips under the first key, with a fresh IV each time, and names no plaintext in the stored form', () => {
    const cipher = new SecretCipher(`${k2},${k1}`);
    expect(cipher.activeKeyId).toBe('k2');
    const secret = `s-${randomBytes(16).toString('hex')}`;
    const a = cipher.encrypt(secret, 'row-1:col');
    const b = cipher.encrypt(secret, 'row-1:col');
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(cipher.decrypt('k2', a, 'row-1:col')).toBe(secret);
  });

  it('reads what an older key wrote while that key is still listed, and not once it is gone', () => {
    const old = new SecretCipher(k1).encrypt('old secret', 'ctx');
    expect(new SecretCipher(`${k2},${k1}`).decrypt('k1', old, 'ctx')).toBe('old secret');
    expect(() => new SecretCipher(k2).decrypt('k1', old, 'ctx')).toThrow(/k1 is not in SECRET_ENCRYPTION_KEYS/);
  });

  it('refuses a ciphertext moved to another row or column, tampered with, or read with other key material', () => {
    const cipher = new SecretCipher(k1);
    const stored = cipher.encrypt('secret', 'row-1:clientSecret');
    expect(() => cipher.decrypt('k1', stored, 'row-2:clientSecret')).toThrow();
    const [format, iv, tag, body] = stored.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt('k1', [format, iv, tag, flipped.toString('base64')].join('.'), 'row-1:clientSecret')).toThrow();
    expect(() => new SecretCipher(generateSecretEncryptionKey('k1')).decrypt('k1', stored, 'row-1:clientSecret')).toThrow();
  });

  it('parses SECRET_ENCRYPTION_KEYS strictly, with messages that never contain key material', () => {
    const material = randomBytes(16).toString('base64');
    const problems = [`k1:${material}`, 'k1', ':abc', `bad id!:${randomBytes(32).toString('base64')}`, `${k1},${k1}`, ' , '];
    for (const value of problems) {
      let error: unknown;
      try {
        parseSecretEncryptionKeys(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecretKeysError);
      expect((error as Error).message).not.toContain(material);
    }
    expect(parseSecretEncryptionKeys(` ${k2} , ${k1} `)).toMatchObject({ activeKeyId: 'k2' });
  });
});
