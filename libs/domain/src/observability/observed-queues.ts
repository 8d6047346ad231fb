import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueueName } from '@dingrelay/contracts';
import Bull, { type Queue } from 'bull';
import { finishedWithin } from '../async/time-limit.js';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { registeredQueue } from '../queue/registered-queue.js';

const OPEN_PATIENCE_MS = 5_000;

/**
 * Every Bull queue dingrelay has (QueueName), as this process sees it: the instance the app already registered
 * where there is one (so health checks look at the connection processors use), otherwise one opened here for
 * looking only (the API registers only the queue it produces to, yet its dashboard and metrics show them all).
 */
@Injectable()
export class ObservedQueues implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ObservedQueues.name);
  private resolved: Map<QueueName, Queue> | undefined;
  private readonly opened: Queue[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
  ) {}

  /** In QueueName order. Resolved on first use, when every module's queues exist. */
  all(): ReadonlyMap<QueueName, Queue> {
    this.resolved ??= new Map(Object.values(QueueName).map((name) => [name, registeredQueue(this.moduleRef, name) ?? this.open(name)]));
    return this.resolved;
  }

  /**
   * Opens the missing queues at start-up, so the first readiness probe finds them connected rather than connecting.
   * Start-up has already checked Redis (QueueModule); a slow connection is left to the probes to report.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.all();
    await finishedWithin(Promise.all(this.opened.map((queue) => connected(queue))), OPEN_PATIENCE_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.opened.map((queue) => queue.close().catch(() => undefined)));
  }

  private open(name: QueueName): Queue {
    const queue = new Bull(name, this.settings.redisUrl, { prefix: this.settings.prefix });
    // Without a listener Bull prints connection errors itself; /health/ready reports the outage instead.
    queue.on('error', (error: Error) => this.logger.debug(`${name}: ${error.message}`));
    this.opened.push(queue);
    return queue;
  }
}

function connected(queue: Queue): Promise<void> {
  const client = queue.client;
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
