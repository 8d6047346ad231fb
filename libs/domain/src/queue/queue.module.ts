import { BullModule, InjectQueue } from '@nestjs/bull';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type DeliverBatchJob, QueueName } from '@dingrelay/contracts';
import type { Queue } from 'bull';
import { within } from '../async/time-limit.js';
import { describeEndpoint } from '../config/infrastructure.config.js';
import { ShutdownState } from '../observability/shutdown-state.js';
import { DeliverBatchProducer } from './deliver-batch.producer.js';
import { createRedisConnection, REDIS_CONNECTION } from './redis-connection.js';
import { dingrelayBackoff } from './retry-later.error.js';
import type { Redis } from 'ioredis';

export interface QueueSettings {
  redisUrl: string;
  /** Key prefix in Redis; lets several deployments (or test suites) share one Redis without seeing each other's jobs. */
  prefix: string;
  /**
   * How long a worker's hold on an active job lasts without renewal, and how often holds are checked: a job whose
   * worker died is taken up again after about this long. It must exceed the longest a job runs without yielding
   * (the DingTalk call timeout), or live jobs are taken for dead. Bull's default is 30 s.
   */
  stalledJobTimeoutMs?: number;
}

const REDIS_CHECK_TIMEOUT_MS = 5_000;
export const QUEUE_SETTINGS = Symbol('QUEUE_SETTINGS');

/** Fails start-up with a clear message instead of letting ioredis retry silently forever. */
@Injectable()
class RedisReachableCheck implements OnModuleInit {
  constructor(
    @InjectQueue(QueueName.DeliverBatch) private readonly queue: Queue<DeliverBatchJob>,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await within(this.queue.isReady().then(() => this.queue.client.ping()), REDIS_CHECK_TIMEOUT_MS);
    } catch (error) {
      const where = describeEndpoint(this.settings.redisUrl);
      throw new Error(`Cannot reach Redis at ${where}: ${(error as Error).message}`, { cause: error });
    }
  }
}

@Injectable()
class RedisConnectionLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Redis-backed Bull queues, and the producer that is the only way jobs get onto them. Also the process's one
 * ShutdownState: every dingrelay process imports this module, so the drain, the readiness check and the processors
 * all see the same one.
 */
@Module({})
export class QueueModule {
  static forRoot(settings: QueueSettings): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({ url: settings.redisUrl, prefix: settings.prefix }),
        BullModule.registerQueue({
          name: QueueName.DeliverBatch,
          settings: {
            backoffStrategies: { dingrelay: dingrelayBackoff },
            ...(settings.stalledJobTimeoutMs
              ? { lockDuration: settings.stalledJobTimeoutMs, stalledInterval: settings.stalledJobTimeoutMs }
              : {}),
          },
        }),
      ],
      providers: [
        { provide: QUEUE_SETTINGS, useValue: settings },
        { provide: REDIS_CONNECTION, useFactory: () => createRedisConnection(settings.redisUrl) },
        RedisConnectionLifecycle,
        DeliverBatchProducer,
        RedisReachableCheck,
        ShutdownState,
      ],
      exports: [BullModule, DeliverBatchProducer, REDIS_CONNECTION, QUEUE_SETTINGS, ShutdownState],
    };
  }
}
