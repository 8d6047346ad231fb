import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { type DeliveryPolicy, QueueName, type RecipientStatus } from '@dingrelay/contracts';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  CreateSendUseCase,
  type CreateSendResult,
  DatabaseModule,
  GetSendStatusUseCase,
  QueueModule,
  type SendStatusView,
  SendsModule,
  systemActor,
} from '@dingrelay/domain';
import { deleteQueuePrefix, type ManagedProcess, stackEnv, startWorkerProcess, testRuntimeUrl, uniqueQueuePrefix, waitFor } from '@dingrelay/testing';
import type { Queue } from 'bull';
import pg from 'pg';

/** The one app and robot each scenario's simulator knows; the worker gets them through its environment. */
/** The configuration the scenario's worker creates and its sends name; unique per scenario in the shared database. */
function configurationName(prefix: string): string {
  return `crash-${prefix.slice(-8)}`;
}

export const APP = { appKey: 'crash-app', appSecret: 'crash-secret', robotCode: 'crash-robot' };

/** Waits in these suites run next to other suites on 2 cores: generous, and they end as soon as the condition holds. */
export const SETTLE_TIMEOUT_MS = 110_000;

export interface RecipientRow {
  user_id: string;
  status: RecipientStatus;
  reason_code: string | null;
  attempts: number;
  batch_id: string;
}

export interface BatchRow {
  id: string;
  send_id: string;
  status: string;
  user_ids: string[];
  attempts: number;
  ambiguous_attempts: number;
}

export interface Progress {
  total: number;
  pending: number;
  inFlightBatches: number;
}

export interface ScenarioOptions {
  /** Names the Bull prefix, the worker processes and failure messages. */
  name: string;
  databaseUrl: string;
  redisUrl: string;
  /** Simulated DingTalk answer time (after the delivery is on the ledger): keeps calls in flight long enough to kill. */
  latencyMs: { min: number; max: number };
  /** Worker configuration on top of the scenario's (database, Redis, prefix, simulator, credentials). */
  workerEnv?: Record<string, string>;
}

@Module({})
class ProducerRoot {}

/**
 * One crash scenario's moving parts: a simulator in this process (its ledger is the judge of what users received),
 * a producer context (what the API runs to accept a send, minus HTTP), worker processes started from the built app,
 * and a plain pg pool for reading rows. The pool shrugs off a Postgres restart: a probe that fails is retried.
 */
export class CrashScenario {
  readonly prefix: string;
  readonly workers: ManagedProcess[] = [];
  private closed = false;

  private constructor(
    readonly options: ScenarioOptions,
    readonly sim: DingTalkSimulator,
    readonly db: pg.Pool,
    private readonly producer: INestApplicationContext,
    prefix: string,
  ) {
    this.prefix = prefix;
  }

  static async start(options: ScenarioOptions): Promise<CrashScenario> {
    const prefix = uniqueQueuePrefix(`worker-crash-${options.name}`);
    const sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^staff-\\d+$' }, faults: { latencyMs: options.latencyMs } });
    const db = new pg.Pool({ connectionString: options.databaseUrl, max: 3, connectionTimeoutMillis: 3_000, application_name: `crash-${options.name}` });
    // A restarted Postgres ends idle connections; the pool replaces them, and the error must not crash jest.
    db.on('error', () => undefined);
    const producer = await NestFactory.createApplicationContext(
      {
        module: ProducerRoot,
        imports: [
          DatabaseModule.forRoot({ url: testRuntimeUrl(options.databaseUrl), poolSize: 2, applicationName: `crash-${options.name}-producer`, migrate: false }),
          QueueModule.forRoot({ redisUrl: options.redisUrl, prefix }),
          SendsModule.forRoot({ defaultChatConfiguration: { name: configurationName(prefix), robotCode: APP.robotCode } }),
        ],
      },
      { logger: false, abortOnError: false },
    );
    return new CrashScenario(options, sim, db, producer, prefix);
  }

  /** The worker's whole configuration, as a deployment would set it. */
  workerEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      // The default configuration is created from APP at the worker's first start, under a name of this scenario's own.
      ...stackEnv({
        databaseUrl: this.options.databaseUrl,
        redisUrl: this.options.redisUrl,
        queuePrefix: this.prefix,
        dingTalkUrl: this.sim.url,
        app: APP,
        configuration: configurationName(this.prefix),
      }),
      DATABASE_POOL_SIZE: '4',
      DINGTALK_TIMEOUT_MS: '10000',
      WORKER_CONCURRENCY: '8',
      RETRY_BASE_DELAY_MS: '200',
      FLOW_CONTROL_BASE_DELAY_MS: '200',
      ...this.options.workerEnv,
      ...extra,
    };
  }

  /** Starts `node apps/worker/dist/main.js` and waits until it is ready. */
  async startWorker(extraEnv: Record<string, string> = {}): Promise<ManagedProcess> {
    if (this.closed) throw new Error(`scenario ${this.options.name} is closed`);
    const worker = await startWorkerProcess({
      name: `${this.options.name} worker #${this.workers.length + 1}`,
      env: this.workerEnv(extraEnv),
      readyTimeoutMs: 60_000,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Accepts a send through the real CreateSendUseCase: committed in Postgres, then one job per batch. */
  createSend(userIds: readonly string[], deliveryPolicy: DeliveryPolicy): Promise<CreateSendResult> {
    return this.producer.get(CreateSendUseCase).execute({
      userIds,
      msgKey: 'sampleText',
      msgParam: { content: `crash scenario ${this.options.name}` },
      deliveryPolicy,
      actor: systemActor('test'),
    });
  }

  /** The send as the API reports it (GET /v1/sends/:id). */
  sendStatus(sendId: string): Promise<SendStatusView> {
    return this.producer.get(GetSendStatusUseCase).execute(sendId);
  }

  queue(): Queue {
    return this.producer.get<Queue>(getQueueToken(QueueName.DeliverBatch));
  }

  async progress(sendIds: readonly string[]): Promise<Progress> {
    const { rows } = await this.db.query<Progress>(
      `SELECT (SELECT count(*)::int FROM recipients WHERE send_id = ANY($1)) AS total,
              (SELECT count(*)::int FROM recipients WHERE send_id = ANY($1) AND status = 'pending') AS pending,
              (SELECT count(*)::int FROM batches WHERE send_id = ANY($1) AND status = 'in_flight') AS "inFlightBatches"`,
      [sendIds],
    );
    return rows[0]!;
  }

  async recipients(sendId: string): Promise<RecipientRow[]> {
    const { rows } = await this.db.query<RecipientRow>(
      `SELECT user_id, status, reason_code, attempts, batch_id FROM recipients WHERE send_id = $1 ORDER BY id`,
      [sendId],
    );
    return rows;
  }

  async batches(sendIds: readonly string[], status?: string): Promise<BatchRow[]> {
    const { rows } = await this.db.query<BatchRow>(
      `SELECT id, send_id, status, user_ids, attempts, ambiguous_attempts
         FROM batches WHERE send_id = ANY($1) AND ($2::text IS NULL OR status = $2) ORDER BY send_id, seq`,
      [sendIds, status ?? null],
    );
    return rows;
  }

  /**
   * Waits for a condition on the sends' progress. Probes that fail (Postgres restarting) count as "not yet"; a timeout
   * says where the sends were stuck and what the workers last printed.
   */
  async waitForProgress(
    sendIds: readonly string[],
    done: (p: Progress) => boolean,
    description: string,
    timeoutMs = SETTLE_TIMEOUT_MS,
  ): Promise<Progress> {
    try {
      const last = await waitFor(
        () => this.progress(sendIds).catch((error: Error) => ({ error: error.message })),
        (p) => !('error' in p) && done(p),
        { timeoutMs, intervalMs: 50, description: `${this.options.name}: ${description}` },
      );
      return last as Progress;
    } catch (error) {
      const open = await this.describeOpenBatches(sendIds).catch((e: Error) => `(open batches unreadable: ${e.message})`);
      throw new Error(`${(error as Error).message}\n${open}\n${this.describeWorkers()}`, { cause: error });
    }
  }

  /** The sends' open batches with their Bull jobs: what a recovery that stalled was still waiting for. */
  private async describeOpenBatches(sendIds: readonly string[]): Promise<string> {
    const { rows } = await this.db.query<{ id: string; status: string; attempts: number; updated_at: Date; not_before: Date | null }>(
      `SELECT id, status, attempts, updated_at, not_before FROM batches
        WHERE send_id = ANY($1) AND status IN ('pending', 'in_flight') ORDER BY updated_at LIMIT 10`,
      [sendIds],
    );
    const lines = await Promise.all(
      rows.map(async (b) => {
        const job = await this.queue().getJob(b.id);
        const bull = job
          ? `job ${await job.getState()}, attemptsMade ${job.attemptsMade}, delay ${job.opts.delay ?? 0} ms, ` +
            `added ${new Date(job.timestamp).toISOString()}${job.failedReason ? `, failed: ${job.failedReason}` : ''}`
          : 'no job';
        return `  batch ${b.id} ${b.status}, attempts ${b.attempts}, updated ${b.updated_at.toISOString()}, ` +
          `not before ${b.not_before?.toISOString() ?? '-'}; ${bull}`;
      }),
    );
    return `open batches at the timeout (now ${new Date().toISOString()}):\n${lines.join('\n') || '  none'}`;
  }

  /** Every recipient of the sends out of `pending`. */
  settled(sendIds: readonly string[], timeoutMs = SETTLE_TIMEOUT_MS): Promise<Progress> {
    return this.waitForProgress(sendIds, (p) => p.total > 0 && p.pending === 0, 'every recipient to reach a terminal state', timeoutMs);
  }

  /** Each worker's state and last lines, for failure messages. */
  describeWorkers(lines = 25): string {
    return this.workers
      .map((w) => `--- ${w.name} (pid ${w.pid}, ${w.running ? 'running' : `exited: ${JSON.stringify(w.exitStatus)}`}):\n${w.output(lines)}`)
      .join('\n');
  }

  /** Stops every worker (SIGTERM, then SIGKILL), the producer, the simulator and the pool; deletes the Bull keys. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.stop('SIGTERM', 10_000)));
    await this.producer.close().catch(() => undefined);
    await this.sim.close();
    await this.db.end().catch(() => undefined);
    await deleteQueuePrefix(this.prefix, this.options.redisUrl).catch(() => undefined);
  }
}

/** `staff-<from>` … `staff-<to - 1>`. */
export function staff(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `staff-${from + i}`);
}
