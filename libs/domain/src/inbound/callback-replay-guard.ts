import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { reportConnectionState } from '../queue/redis-connection.js';
import { CallbackReplayCheckUnavailableError } from './callback.errors.js';

/** Injection token: the Redis connection the replay cache uses (its own, so it can fail fast; see below). */
export const CALLBACK_REPLAY_REDIS = Symbol('CALLBACK_REPLAY_REDIS');

/** How long a replay-cache command may take before the push is answered 503. */
const REPLAY_CHECK_TIMEOUT_MS = 2_000;

/**
 * A connection that never queues: while Redis is down a command fails at once instead of waiting for a reconnect
 * (the process's general connection waits, and would run the SET after the push was answered, refusing DingTalk's
 * re-push of it as a replay).
 */
export function createReplayCacheConnection(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REPLAY_CHECK_TIMEOUT_MS });
  reportConnectionState(redis, new Logger('Redis (callback replay cache)'));
  return redis;
}

/**
 * - `first`: the proof had not been seen; it is now remembered.
 * - `same-request`: seen, with this same request (DingTalk re-sending what it already sent): nothing new to accept.
 * - `replay`: seen with another request: someone reuses a captured signature or nonce.
 */
export type ReplayVerdict = 'first' | 'same-request' | 'replay';

export interface ReplayClaim {
  /** `message`: HTTP-mode robot callbacks (§9.2); `event`: the legacy encrypted event push (§9.4). */
  kind: 'message' | 'event';
  configuration: string;
  /** What proves the push: the `sign` header of a message, the `nonce` of an event. Only its hash is stored. */
  proof: string;
  /** What the push carries (a message's msgId, an event's signature): tells DingTalk's re-send from a replay. */
  request: string;
  /** How long the proof could still be accepted: it is remembered that long. */
  ttlMs: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Remembers, in Redis, the proofs of accepted DingTalk pushes for as long as they could be accepted again, so that a
 * captured header pair cannot be replayed with another body: DingTalk's HTTP-mode `sign` covers only the timestamp and
 * the secret (spec §9.2). Keys hold hashes only (`<prefix>:callback-seen:<sha256>`), per configuration, with a TTL.
 * Fails closed: when Redis cannot answer, the push is refused with 503 (DingTalk pushes again) rather than accepted
 * unchecked.
 */
@Injectable()
export class CallbackReplayGuard {
  private readonly logger = new Logger('CallbackReplayGuard');

  constructor(
    @Inject(CALLBACK_REPLAY_REDIS) private readonly redis: Redis,
    @Inject(QUEUE_SETTINGS) private readonly queue: QueueSettings,
  ) {}

  async claim(claim: ReplayClaim): Promise<ReplayVerdict> {
    const key = this.key(claim);
    const request = sha256(claim.request);
    return this.guarded(claim, async () => {
      const set = await this.redis.set(key, request, 'PX', Math.max(1, Math.ceil(claim.ttlMs)), 'NX');
      if (set === 'OK') return 'first';
      // Two commands rather than SET NX GET (Redis 7): the key's value never changes, only its existence.
      const seen = await this.redis.get(key);
      // Expired in between: the proof is stale by now, so whoever asks again is refused by the timestamp window.
      return seen === request ? 'same-request' : 'replay';
    });
  }

  /** Forgets a claim whose push was not kept after all (the database refused it), so DingTalk's re-push is accepted. */
  async release(claim: Omit<ReplayClaim, 'request' | 'ttlMs'>): Promise<void> {
    try {
      await this.redis.del(this.key(claim));
    } catch (error) {
      this.logger.warn(`could not forget a ${claim.kind} proof of ${JSON.stringify(claim.configuration.slice(0, 64))}: ${(error as Error).message}`);
    }
  }

  private async guarded<T>(claim: Pick<ReplayClaim, 'kind' | 'configuration'>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(
        `${claim.kind} push for ${JSON.stringify(claim.configuration.slice(0, 64))} refused: the replay cache is unavailable (${(error as Error).message})`,
      );
      throw new CallbackReplayCheckUnavailableError();
    }
  }

  private key(claim: Pick<ReplayClaim, 'kind' | 'configuration' | 'proof'>): string {
    return `${this.queue.prefix}:callback-seen:${sha256(`${claim.kind}\n${claim.configuration}\n${claim.proof}`)}`;
  }
}
