import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DingTalkClient, type DingTalkClientOptions } from '@dingrelay/dingtalk-client';
import type { Redis } from 'ioredis';
import { DingrelayMetrics } from '../observability/dingrelay-metrics.js';
import { AppPacer, type PaceReservation } from '../pacing/app-pacer.js';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { REDIS_CONNECTION } from '../queue/redis-connection.js';
import { RedisAccessTokenStore } from '../tokens/redis-access-token.store.js';

export interface DingTalkAccessOptions {
  dingtalk: DingTalkClientOptions;
  /** Waits for a pace slot up to this long are slept through in place; longer ones are held (see AppPacer). */
  paceInlineWaitMs: number;
}

@Injectable()
class DingTalkClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DingTalkClient) private readonly client: DingTalkClient) {}

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/**
 * How any process talks to DingTalk: one client whose tokens live in Redis (one cached token per app for every
 * api and worker process, refreshed by one of them at a time) and the pacer that spaces each app's calls across
 * all of them. The worker's delivery and the API's synchronous calls (quick entries) share both, so an app's calls
 * from either side count against the same token and the same per-app pace.
 */
@Module({})
export class DingTalkAccessModule {
  static forRoot(options: DingTalkAccessOptions): DynamicModule {
    return {
      module: DingTalkAccessModule,
      providers: [
        {
          provide: DingTalkClient,
          // Metrics where the app has them (ObservabilityModule); processes without them just don't record.
          inject: [REDIS_CONNECTION, QUEUE_SETTINGS, { token: DingrelayMetrics, optional: true }],
          useFactory: (redis: Redis, queue: QueueSettings, metrics?: DingrelayMetrics) =>
            new DingTalkClient({
              ...options.dingtalk,
              tokenStore: new RedisAccessTokenStore(redis, { keyPrefix: queue.prefix }),
              ...(metrics ? { observer: metrics.dingTalkObserver } : {}),
            }),
        },
        DingTalkClientLifecycle,
        {
          provide: AppPacer,
          inject: [REDIS_CONNECTION, QUEUE_SETTINGS, { token: DingrelayMetrics, optional: true }],
          useFactory: (redis: Redis, queue: QueueSettings, metrics?: DingrelayMetrics) =>
            new AppPacer(redis, {
              keyPrefix: queue.prefix,
              inlineWaitMs: options.paceInlineWaitMs,
              holdGraceMs: 60_000,
              ...(metrics ? { onReservation: (app: string, api: string, r: PaceReservation) => metrics.paceWaited(app, api, r.waitMs) } : {}),
            }),
        },
      ],
      exports: [DingTalkClient, AppPacer],
    };
  }
}
