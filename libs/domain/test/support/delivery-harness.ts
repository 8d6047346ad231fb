import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { type DeliveryPolicy, type MsgKey, type MsgParam, QueueName, type RecipientStatus } from '@dingrelay/contracts';
import { startDingTalkSimulator, type DingTalkSimulator, type SimAppConfig, type SimulatorOptions } from '@dingrelay/dingtalk-sim';
import {
  deleteQueuePrefix,
  openTestDataSource,
  prepareTestDatabase,
  startTestDeliveryWorker,
  testDatabaseUrl,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import {
  BatchReconciler,
  type ChatConfigurationCredentials,
  type ChatConfigurationRef,
  CreateSendUseCase,
  type CreateSendResult,
  DatabaseModule,
  DEFAULT_CHAT_CONFIGURATION_NAME,
  type DeliverySettings,
  type DingTalkLimits,
  QueueModule,
  SendsModule,
  systemActor,
} from '../../src/index.js';

/** The app and robot the simulator knows; every send of these suites goes through it unless a test says otherwise. */
export const APP: SimAppConfig = { appKey: 'domain-test-app', appSecret: 'domain-test-secret', robotCode: 'domain-test-robot' };

export const DEFAULT_CONFIGURATION: ChatConfigurationCredentials = { name: DEFAULT_CHAT_CONFIGURATION_NAME, ...APP };

/** Same app credentials, but a robotCode the simulator's org never installed: every call is refused for good. */
export const UNINSTALLED_ROBOT: ChatConfigurationCredentials = { ...DEFAULT_CONFIGURATION, name: 'uninstalled-robot', robotCode: 'robot-never-installed' };

/**
 * Worker settings for tests: fast flow-control re-sends, retry waits capped low (the client's floors, e.g. 1 s for a
 * transient error, still apply below the cap) and the periodic reconciler off. The reconciler scans the whole
 * database; left on in the shared test database it would pick up other suites' open batches (the API's 100k-recipient
 * acceptance test leaves thousands) and deliver them to this suite's simulator.
 */
export const TEST_WORKER_SETTINGS: Partial<DeliverySettings> = {
  retryBaseDelayMs: 50,
  retryMaxDelayMs: 1_200,
  flowControlBaseDelayMs: 50,
  reconcileIntervalMs: 3_600_000,
  reconcileAfterMs: 3_600_000,
};

export interface RecipientRow {
  user_id: string;
  status: RecipientStatus;
  reason_code: string | null;
  reason_message: string | null;
  attempts: number;
  process_query_key: string | null;
  batch_id: string;
}

export interface BatchRow {
  id: string;
  seq: number;
  status: string;
  user_ids: string[];
  attempts: number;
  ambiguous_attempts: number;
  last_error_code: string | null;
  last_error_message: string | null;
  process_query_key: string | null;
  parent_batch_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface SendRow {
  id: string;
  delivery_policy: DeliveryPolicy;
  created_at: Date;
  completed_at: Date | null;
}

export interface SendInput {
  userIds: readonly string[];
  deliveryPolicy?: DeliveryPolicy;
  msgKey?: MsgKey;
  msgParam?: MsgParam;
  /** Which chat configuration the send names (default: the simulator's robot). */
  configuration?: ChatConfigurationRef;
}

export interface HarnessOptions {
  /** Names the Bull prefix. */
  suite: string;
  /** Simulator options on top of the suite's app; started on port 0. */
  sim?: Omit<SimulatorOptions, 'apps' | 'port'>;
  /** Defaults to the shared test database. */
  databaseUrl?: string;
}

@Module({})
class ProducerRootModule {}

/**
 * One suite's real moving parts: the simulator, a producer context (Postgres + Bull + SendsModule: what the API
 * runs, minus HTTP) per chat configuration, workers on the suite's own Bull prefix, and a plain DataSource for
 * assertions on rows. Nothing of dingrelay is mocked.
 */
export class DeliveryHarness {
  readonly prefix: string;
  private readonly producers = new Map<string, Promise<INestApplicationContext>>();
  private readonly workers: INestApplicationContext[] = [];
  private userSeq = 0;

  private constructor(
    readonly sim: DingTalkSimulator,
    readonly db: DataSource,
    readonly databaseUrl: string,
    suite: string,
  ) {
    this.prefix = uniqueQueuePrefix(`domain-${suite}`);
  }

  static async start(options: HarnessOptions): Promise<DeliveryHarness> {
    const databaseUrl = await prepareTestDatabase(options.databaseUrl ?? testDatabaseUrl());
    const sim = await startDingTalkSimulator({ ...options.sim, apps: [APP] });
    const db = await openTestDataSource(databaseUrl);
    return new DeliveryHarness(sim, db, databaseUrl, options.suite);
  }

  /** Fresh user ids the simulator's directory knows (`user-<n>`), unique within the suite's simulator. */
  users(count: number): string[] {
    return Array.from({ length: count }, () => `user-${(this.userSeq += 1)}`);
  }

  /** Starts a real worker (Bull processor + DingTalk client + reconciler) on the suite's prefix. */
  async startWorker(
    settings: Partial<DeliverySettings> = {},
    dingtalkTimeoutMs?: number,
    limits?: Partial<DingTalkLimits>,
  ): Promise<INestApplicationContext> {
    const worker = await startTestDeliveryWorker({
      limits,
      databaseUrl: this.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: this.prefix,
      dingtalkBaseUrl: this.sim.url,
      chatConfigurations: [DEFAULT_CONFIGURATION, UNINSTALLED_ROBOT],
      settings: { ...TEST_WORKER_SETTINGS, ...settings },
      dingtalkTimeoutMs,
    });
    this.workers.push(worker);
    return worker;
  }

  async stopWorker(worker: INestApplicationContext): Promise<void> {
    this.workers.splice(this.workers.indexOf(worker), 1);
    await worker.close();
  }

  reconciler(worker: INestApplicationContext): BatchReconciler {
    return worker.get(BatchReconciler);
  }

  /** Accepts a send through the real CreateSendUseCase, as the API would. */
  async createSend(input: SendInput): Promise<CreateSendResult> {
    const producer = await this.producer(input.configuration ?? DEFAULT_CONFIGURATION);
    return producer.get(CreateSendUseCase).execute({
      userIds: input.userIds,
      msgKey: input.msgKey ?? 'sampleText',
      msgParam: input.msgParam ?? { content: `hello from ${this.prefix}` },
      deliveryPolicy: input.deliveryPolicy,
      actor: systemActor('test'),
    });
  }

  /** A use-case of the producer context (what the API runs), e.g. to cancel or recall a send. */
  async producerUseCase<T>(type: new (...args: never[]) => T): Promise<T> {
    return (await this.producer(DEFAULT_CONFIGURATION)).get(type);
  }

  /** The suite's deliver-batch queue, as the producer sees it. */
  async queue(): Promise<Queue> {
    return (await this.producer(DEFAULT_CONFIGURATION)).get<Queue>(getQueueToken(QueueName.DeliverBatch));
  }

  /** Deletes every Redis key of the suite's prefix: every job, waiting or delayed, is gone. */
  async deleteQueueKeys(): Promise<void> {
    await deleteQueuePrefix(this.prefix);
  }

  async recipients(sendId: string): Promise<RecipientRow[]> {
    return this.db.query(
      `SELECT user_id, status, reason_code, reason_message, attempts, process_query_key, batch_id
         FROM recipients WHERE send_id = $1 ORDER BY id`,
      [sendId],
    );
  }

  async recipient(sendId: string, userId: string): Promise<RecipientRow> {
    const rows = (await this.recipients(sendId)).filter((r) => r.user_id === userId);
    if (rows.length !== 1) throw new Error(`send ${sendId} has ${rows.length} recipients ${userId}`);
    return rows[0]!;
  }

  async batches(sendId: string): Promise<BatchRow[]> {
    return this.db.query(
      `SELECT id, seq, status, user_ids, attempts, ambiguous_attempts, last_error_code, last_error_message,
              process_query_key, parent_batch_id, created_at, sent_at
         FROM batches WHERE send_id = $1 ORDER BY seq`,
      [sendId],
    );
  }

  async send(sendId: string): Promise<SendRow> {
    const [row] = await this.db.query(`SELECT id, delivery_policy, created_at, completed_at FROM sends WHERE id = $1`, [sendId]);
    return row as SendRow;
  }

  /** Waits until no recipient of the send is pending, and returns them. */
  async settled(sendId: string, timeoutMs = 15_000): Promise<RecipientRow[]> {
    return waitFor(
      () => this.recipients(sendId),
      (rows) => rows.length > 0 && rows.every((r) => r.status !== 'pending'),
      { timeoutMs, intervalMs: 50, description: `every recipient of send ${sendId} to leave pending` },
    );
  }

  /** batchSend calls the simulator has seen so far, and error answers by code. */
  batchSendStats(): { calls: number; errors: Record<string, number> } {
    const stats = this.sim.stats();
    return { calls: stats.batchSend.calls, errors: { ...stats.errorsByCode } };
  }

  /** Every process this harness started, and the Redis keys of its prefix. */
  async close(): Promise<void> {
    for (const worker of this.workers.splice(0)) await worker.close();
    for (const producer of this.producers.values()) await (await producer).close();
    await this.sim.close();
    await this.db.destroy();
    await deleteQueuePrefix(this.prefix);
  }

  private producer(configuration: ChatConfigurationRef): Promise<INestApplicationContext> {
    let producer = this.producers.get(configuration.name);
    if (!producer) {
      producer = NestFactory.createApplicationContext(
        {
          module: ProducerRootModule,
          imports: [
            DatabaseModule.forRoot({ url: this.databaseUrl, poolSize: 2, applicationName: 'dingrelay-test-producer', migrate: false }),
            QueueModule.forRoot({ redisUrl: testRedisUrl(), prefix: this.prefix }),
            SendsModule.forRoot({ defaultChatConfiguration: { name: configuration.name, robotCode: configuration.robotCode } }),
          ],
        },
        { logger: ['error'], abortOnError: false },
      );
      this.producers.set(configuration.name, producer);
    }
    return producer;
  }
}

export { openTestDataSource, waitFor };

/**
 * Per-test timeout for tests that wait on deliveries. Jest's multi-project mode ignores `testTimeout` in a project's
 * config, so without this every test would have jest's default 5 s.
 */
export const DELIVERY_TEST_TIMEOUT_MS = 30_000;

/**
 * A database of the suite's own, next to the shared test database. Only for suites that run the reconciler: its pass
 * scans every open batch in the database by design, and the shared one holds other suites' open batches.
 */
export function dedicatedTestDatabaseUrl(suffix: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

/** Milliseconds between two Postgres timestamps. */
export function msBetween(from: Date, to: Date): number {
  return new Date(to).getTime() - new Date(from).getTime();
}
