import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** DingTalk's event crypto pads to 32-byte blocks, not AES's 16 (spec §9.4). */
const PKCS7_BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

export class DingTalkEventCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DingTalkEventCryptoError';
  }
}

export interface DecryptedEvent {
  /** The event JSON, as text. */
  message: string;
  /** Trailing key naming the receiver: corpId, suiteKey or the app key (spec §9.4). */
  ownerKey: string;
}

export interface EncryptedReply {
  msg_signature: string;
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

/**
 * The legacy event-subscription crypto (spec §9.4): AES-256-CBC under Base64(EncodingAESKey + "="), IV = the key's
 * first 16 bytes, PKCS#7 to 32-byte blocks, plaintext `random(16) ‖ msgLen(4, big-endian) ‖ msg ‖ ownerKey`, and the
 * SHA-1 signature over the sorted token, timestamp, nonce and ciphertext.
 */
export class DingTalkEventCrypto {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    private readonly ownerKey: string,
  ) {
    if (!ENCODING_AES_KEY.test(encodingAesKey)) throw new DingTalkEventCryptoError('EncodingAESKey must be 43 letters or digits');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    const parts = [this.token, timestamp, nonce, encrypt].sort();
    return createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
  }

  /** Constant-time check of a push's `msg_signature`. */
  verifySignature(signature: string, timestamp: string, nonce: string, encrypt: string): boolean {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypt), 'utf8');
    const given = Buffer.from(signature.toLowerCase(), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    if (random.length !== 16) throw new DingTalkEventCryptoError('random prefix must be 16 bytes');
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([random, length, body, Buffer.from(this.ownerKey, 'utf8')]);
    const pad = PKCS7_BLOCK - (plain.length % PKCS7_BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** Decrypts and checks the layout; the caller compares `ownerKey` with the one it expects (`decryptFor`). */
  decrypt(encrypt: string): DecryptedEvent {
    const data = Buffer.from(encrypt, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new DingTalkEventCryptoError('ciphertext is not whole AES blocks');
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > PKCS7_BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
      throw new DingTalkEventCryptoError('bad padding (wrong key?)');
    }
    const unpadded = plain.subarray(0, plain.length - pad);
    if (unpadded.length < 20) throw new DingTalkEventCryptoError('plaintext too short');
    const length = unpadded.readUInt32BE(16);
    if (20 + length > unpadded.length) throw new DingTalkEventCryptoError('message length exceeds the plaintext');
    return {
      message: unpadded.subarray(20, 20 + length).toString('utf8'),
      ownerKey: unpadded.subarray(20 + length).toString('utf8'),
    };
  }

  /** Decrypts a push meant for this receiver: the trailing ownerKey must be ours. */
  decryptFor(encrypt: string): string {
    const event = this.decrypt(encrypt);
    if (event.ownerKey !== this.ownerKey) throw new DingTalkEventCryptoError('ownerKey does not match this receiver');
    return event.message;
  }

  /** The answer DingTalk expects to a push (`success`, encrypted and signed). */
  encryptedReply(timestamp: string, nonce: string, message = 'success'): EncryptedReply {
    const encrypt = this.encrypt(message);
    return { msg_signature: this.signature(timestamp, nonce, encrypt), timeStamp: timestamp, nonce, encrypt };
  }
}
