import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  ConfigError,
  CreateSendUseCase,
  DatabaseModule,
  GetSendStatusUseCase,
  QueueModule,
  SendsModule,
  systemActor,
  validateConfig,
} from '@dingrelay/domain';
import {
  deleteQueuePrefix,
  prepareTestDatabase,
  stackEnv,
  testRedisUrl,
  testSecretEncryptionKeys,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import { createWorkerApp } from '../src/create-worker-app.js';
import { WorkerConfig } from '../src/worker.config.js';

const APP = { appKey: 'worker-app', appSecret: 'worker-secret', robotCode: 'worker-robot' };

@Module({})
class ProducerRoot {}

describe('worker app', () => {
  let sim: DingTalkSimulator;
  let worker: INestApplicationContext;
  let producer: INestApplicationContext;
  const prefix = uniqueQueuePrefix('worker-e2e');
  const CONFIGURATION = `worker-e2e-${prefix.slice(-8)}`;

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^staff-\\d+$' } });
    const config = validateConfig(WorkerConfig, {
      ...stackEnv({ databaseUrl, queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration: CONFIGURATION }),
      SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
      WORKER_CONCURRENCY: '4',
    });
    worker = await createWorkerApp(config, { logger: false });
    // What the API does, without HTTP: the worker app is what is under test here.
    producer = await NestFactory.createApplicationContext(
      {
        module: ProducerRoot,
        imports: [
          DatabaseModule.forRoot({ url: databaseUrl, migrate: false }),
          QueueModule.forRoot({ redisUrl: testRedisUrl(), prefix }),
          SendsModule.forRoot({ defaultChatConfiguration: { name: CONFIGURATION, robotCode: APP.robotCode } }),
        ],
      },
      { logger: false },
    );
  });

  afterAll(async () => {
    await producer?.close();
    await worker?.close();
    await sim?.close();
    await deleteQueuePrefix(prefix);
  });

  it('delivers a queued send with the credentials from its environment, one token for all batches', async () => {
    const userIds = Array.from({ length: 95 }, (_, i) => `staff-${i}`);
    const send = await producer.get(CreateSendUseCase).execute({
      userIds,
      msgKey: 'sampleText',
      msgParam: { content: 'worker e2e' },
      actor: systemActor('test'),
    });
    expect(send.batches).toBe(5);

    const status = await waitFor(
      () => producer.get(GetSendStatusUseCase).execute(send.id),
      (s) => s.status === 'completed',
      { description: 'the worker to deliver the send' },
    );
    expect(status.recipients).toMatchObject({ total: 95, delivered: 95, pending: 0 });
    for (const userId of userIds) expect(sim.ledger.countFor(userId)).toBe(1);
    expect(sim.stats().accessToken.calls).toBe(1);
    expect(sim.stats().batchSend).toMatchObject({ calls: 5, delivered: 95, failed: 0 });
  });

  it('refuses to start without credentials, naming the variables and never their values', () => {
    expect(() =>
      validateConfig(WorkerConfig, { DINGTALK_APP_KEY: 'k', DINGTALK_ROBOT_CODE: '', DINGTALK_TIMEOUT_MS: '5' }),
    ).toThrow(ConfigError);
    try {
      validateConfig(WorkerConfig, { DINGTALK_APP_KEY: 'k', DINGTALK_ROBOT_CODE: '', DINGTALK_TIMEOUT_MS: '5' });
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toMatch(/DINGTALK_APP_SECRET: must be set/);
      expect(message).toMatch(/DINGTALK_ROBOT_CODE: must be set/);
      expect(message).toMatch(/DINGTALK_TIMEOUT_MS: /);
    }
  });

  it('refuses a stalled-job timeout that a slow DingTalk call could outlast', () => {
    expect(() =>
      validateConfig(WorkerConfig, {
        DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_ROBOT_CODE: 'r', SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
        DINGTALK_TIMEOUT_MS: '20000', STALLED_JOB_TIMEOUT_MS: '15000',
      }),
    ).toThrow(/STALLED_JOB_TIMEOUT_MS: must be greater than DINGTALK_TIMEOUT_MS/);
    const ok = validateConfig(WorkerConfig, {
      DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_ROBOT_CODE: 'r', STALLED_JOB_TIMEOUT_MS: '15000',
      SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
    });
    expect(ok).toMatchObject({ STALLED_JOB_TIMEOUT_MS: 15_000, DINGTALK_TIMEOUT_MS: 10_000, RECONCILE_AFTER_MS: 60_000 });
  });
});
