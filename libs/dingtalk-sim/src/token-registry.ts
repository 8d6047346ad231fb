import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  accessToken: string;
  /** Seconds, as DingTalk's `expireIn`. */
  expireIn: number;
  /** True when an unexpired token was handed out again (and its expiry pushed back). */
  renewed: boolean;
}

interface TokenRecord {
  token: string;
  appKey: string;
  expiresAt: number;
}

/**
 * Access tokens per app with DingTalk's documented semantics (spec §2.1): while a token is valid, asking again
 * returns the same token and resets its expiry to now + TTL; after expiry a new token is issued and the old one
 * stops working.
 */
export class TokenRegistry {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly byApp = new Map<string, TokenRecord>();

  constructor(private readonly now: () => number) {}

  issue(appKey: string, ttlSeconds: number): IssuedToken {
    const now = this.now();
    const ttlMs = ttlSeconds * 1000;
    const current = this.byApp.get(appKey);
    if (current && current.expiresAt > now) {
      current.expiresAt = now + ttlMs;
      return { accessToken: current.token, expireIn: ttlSeconds, renewed: true };
    }
    if (current) this.byToken.delete(current.token);
    // Real tokens are 32 lowercase hex characters.
    const record: TokenRecord = { token: randomBytes(16).toString('hex'), appKey, expiresAt: now + ttlMs };
    this.byToken.set(record.token, record);
    this.byApp.set(appKey, record);
    return { accessToken: record.token, expireIn: ttlSeconds, renewed: false };
  }

  /** The appKey a token belongs to, or undefined when the token is unknown or expired. */
  resolve(token: string): string | undefined {
    const record = this.byToken.get(token);
    if (!record) return undefined;
    if (record.expiresAt <= this.now()) return undefined;
    return record.appKey;
  }

  /** Expires every token (or one app's), so the next call with it answers `InvalidAuthentication`. */
  expireAll(appKey?: string): number {
    let expired = 0;
    for (const record of this.byToken.values()) {
      if (appKey !== undefined && record.appKey !== appKey) continue;
      this.byToken.delete(record.token);
      this.byApp.delete(record.appKey);
      expired++;
    }
    return expired;
  }

  clear(): void {
    this.byToken.clear();
    this.byApp.clear();
  }

  get activeCount(): number {
    const now = this.now();
    let n = 0;
    for (const record of this.byToken.values()) if (record.expiresAt > now) n++;
    return n;
  }
}
