import { createDecipheriv } from 'node:crypto';
import { computeCallbackSign, verifyCallbackSign } from './callback-sign.js';
import { CALLBACK_TEST_VECTORS } from './callback-test-vectors.js';
import { DingTalkEventCrypto, DingTalkEventCryptoError } from './event-crypto.js';

const { sign: SIGN_VECTOR, event: EVENT_VECTOR } = CALLBACK_TEST_VECTORS;

describe('HTTP-mode callback sign (§9.2)', () => {
  const now = Number(SIGN_VECTOR.timestamp);

  it("computes the spec's test vector", () => {
    expect(computeCallbackSign(SIGN_VECTOR.timestamp, SIGN_VECTOR.appSecret)).toBe(SIGN_VECTOR.sign);
  });

  it('accepts the vector within the skew and refuses it outside, either way', () => {
    const input = { timestamp: SIGN_VECTOR.timestamp, sign: SIGN_VECTOR.sign, appSecret: SIGN_VECTOR.appSecret };
    expect(verifyCallbackSign({ ...input, nowMs: now + 3_600_000 })).toEqual({ ok: true });
    expect(verifyCallbackSign({ ...input, nowMs: now - 3_600_000 })).toEqual({ ok: true });
    expect(verifyCallbackSign({ ...input, nowMs: now + 3_600_001 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyCallbackSign({ ...input, nowMs: now - 3_600_001 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyCallbackSign({ ...input, nowMs: now + 61_000, maxSkewMs: 60_000 })).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    ['a forged sign', { sign: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 'mismatch'],
    ['a sign of another length', { sign: 'short' }, 'mismatch'],
    ['another secret', { appSecret: 'another secret' }, 'mismatch'],
    ['no sign', { sign: undefined }, 'missing'],
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['a non-numeric timestamp', { timestamp: '1577262236757abc' }, 'malformed-timestamp'],
  ])('refuses %s', (_case, change, reason) => {
    const input = { timestamp: SIGN_VECTOR.timestamp, sign: SIGN_VECTOR.sign, appSecret: SIGN_VECTOR.appSecret, nowMs: now, ...change };
    expect(verifyCallbackSign(input)).toEqual({ ok: false, reason });
  });
});

describe('event-subscription crypto (§9.4)', () => {
  const crypto = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, EVENT_VECTOR.ownerKey);

  it("signs the spec's vector", () => {
    expect(crypto.signature(EVENT_VECTOR.timestamp, EVENT_VECTOR.nonce, EVENT_VECTOR.encrypt)).toBe(EVENT_VECTOR.signature);
    expect(crypto.verifySignature(EVENT_VECTOR.signature, EVENT_VECTOR.timestamp, EVENT_VECTOR.nonce, EVENT_VECTOR.encrypt)).toBe(true);
    expect(crypto.verifySignature(EVENT_VECTOR.signature, EVENT_VECTOR.timestamp, 'other', EVENT_VECTOR.encrypt)).toBe(false);
  });

  it("decrypts the spec's vector to its plaintext and ownerKey", () => {
    expect(crypto.decrypt(EVENT_VECTOR.encrypt)).toEqual({ message: EVENT_VECTOR.plaintext, ownerKey: EVENT_VECTOR.ownerKey });
    expect(crypto.decryptFor(EVENT_VECTOR.encrypt)).toBe(EVENT_VECTOR.plaintext);
  });

  it('pads to 32-byte blocks: the vector ends in 22 bytes of 22, and encrypt reproduces the vector', () => {
    // Same random prefix as the vector's, recovered by decrypting its first block.
    const key = Buffer.from(`${EVENT_VECTOR.aesKey}=`, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(EVENT_VECTOR.encrypt, 'base64')), decipher.final()]);
    expect([...plain.subarray(plain.length - 22)]).toEqual(Array(22).fill(22));
    expect(plain[plain.length - 23]).not.toBe(22);
    expect(crypto.encrypt(EVENT_VECTOR.plaintext, plain.subarray(0, 16))).toBe(EVENT_VECTOR.encrypt);
  });

  it('round-trips, and refuses another receiver or a wrong key', () => {
    const encrypted = crypto.encrypt('{"EventType":"check_url"}');
    expect(crypto.decryptFor(encrypted)).toBe('{"EventType":"check_url"}');
    const other = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, 'dingother');
    expect(() => other.decryptFor(encrypted)).toThrow(DingTalkEventCryptoError);
    const wrongKey = new DingTalkEventCrypto(EVENT_VECTOR.token, 'a'.repeat(43), EVENT_VECTOR.ownerKey);
    expect(() => wrongKey.decryptFor(encrypted)).toThrow(DingTalkEventCryptoError);
  });

  it('answers with the encrypted, signed success reply', () => {
    const reply = crypto.encryptedReply('1445827045067', 'abc123');
    expect(reply).toMatchObject({ timeStamp: '1445827045067', nonce: 'abc123' });
    expect(crypto.decryptFor(reply.encrypt)).toBe('success');
    expect(reply.msg_signature).toBe(crypto.signature('1445827045067', 'abc123', reply.encrypt));
  });

  it('refuses an EncodingAESKey that is not 43 letters or digits', () => {
    expect(() => new DingTalkEventCrypto('t', 'short', 'o')).toThrow(DingTalkEventCryptoError);
  });
});
