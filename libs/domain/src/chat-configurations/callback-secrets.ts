import { randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** §9.4 EncodingAESKey: 43 characters of [a-zA-Z0-9]; Base64Decode(key + '=') gives the 32-byte AES key. */
export function generateAesKey(): string {
  return randomAlnum(43);
}

/** §9.4 token: 3-32 letters and digits, used to sign event pushes. */
export function generateCallbackToken(): string {
  return randomAlnum(32);
}
