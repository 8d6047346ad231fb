import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `drk_<12 hex>_<43 base64url>`: a recognisable type marker (secret scanners, logs), a random
 * non-secret prefix to find the row, and 32 random bytes. With that much entropy a plain SHA-256 is enough to store
 * them: there is nothing to brute-force, so a slow password hash would only cost every request.
 */
const KEY_FORMAT = /^drk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  secretHash: Buffer;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `drk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

/** The prefix of a well-formed key, undefined for anything else (checked before any database work). */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_FORMAT.exec(key)?.[1];
}

export function isWellFormedApiKey(key: string): boolean {
  return KEY_FORMAT.test(key);
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time: how much of a guess matched never shows in the response time. */
export function apiKeyMatches(key: string, secretHash: Buffer): boolean {
  const presented = hashApiKey(key);
  return presented.length === secretHash.length && timingSafeEqual(presented, secretHash);
}

export const API_KEY_FORMAT_DESCRIPTION = 'drk_ followed by 12 lowercase hex characters, _ and 43 base64url characters';
