import { type INestApplicationContext, Logger } from '@nestjs/common';
import { startTestDeliveryWorker, testRedisUrl, testSecretEncryptionKeys } from '@dingrelay/testing';
import { generateSecretEncryptionKey, SecretCipher } from '../src/index.js';
import {
  APP,
  DEFAULT_CONFIGURATION,
  DELIVERY_TEST_TIMEOUT_MS,
  DeliveryHarness,
  TEST_WORKER_SETTINGS,
  waitFor,
} from './support/delivery-harness.js';
import { ErrorLines, storeConfiguration } from './support/unreadable-configuration.js';

const BACKOFF_MS = 2_000;

/**
 * Deliveries through a configuration whose secrets cannot be decrypted (its key removed before its rows were
 * re-encrypted): every batch would fail alike, so they are handed back untouched for the back-off — no DingTalk
 * call, no attempt spent, recipients pending — the worker says so once per configuration per back-off rather than once
 * per batch, and once the key is back everything is delivered, once.
 */
describe('deliveries through a configuration whose secrets cannot be decrypted', () => {
  let h: DeliveryHarness;
  let worker: INestApplicationContext;
  const errors = new ErrorLines();
  let name: string;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'unreadable-delivery' });
    worker = await startTestDeliveryWorker({
      databaseUrl: h.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: h.prefix,
      dingtalkBaseUrl: h.sim.url,
      chatConfigurations: [DEFAULT_CONFIGURATION],
      settings: TEST_WORKER_SETTINGS,
      readTracking: { unreadableConfigurationBackoffMs: BACKOFF_MS },
    });
    name = `locked-${h.prefix}`.slice(0, 60);
    Logger.overrideLogger(errors);
  });

  afterAll(async () => {
    Logger.overrideLogger(['error']);
    await worker?.close();
    await h?.close();
  });

  const unreadableLines = () => errors.unreadable(name);

  /** Waits until every job of the suite's queue sits delayed, handed back at least `times` times. */
  async function handedBack(jobs: number, times: number): Promise<void> {
    const queue = await h.queue();
    await waitFor(
      () => queue.getDelayed(),
      (delayed) => delayed.length === jobs && delayed.every((job) => job.attemptsMade >= times),
      { timeoutMs: 20_000, intervalMs: 50, description: `${jobs} jobs handed back ${times} times` },
    );
  }

  it('holds every batch back without an attempt, logs once per back-off, and delivers once the key is back', async () => {
    await storeConfiguration(h.db, name, new SecretCipher(generateSecretEncryptionKey('gone')));
    const userIds = h.users(120);
    const send = await h.createSend({ userIds, configuration: { name, robotCode: APP.robotCode } });
    expect(send.batches).toBeGreaterThan(1);

    // Every batch is taken up and handed back as it was: no call, no attempt, one line for all of them.
    await handedBack(send.batches, 1);
    expect(unreadableLines()).toHaveLength(1);
    expect(unreadableLines()[0]).toMatch(/stored secrets cannot be decrypted \(secret encryption key gone is not in SECRET_ENCRYPTION_KEYS\)/);
    expect(errors.lines.filter((l) => l.includes('the job is retried'))).toEqual([]);
    expect(h.batchSendStats().calls).toBe(0);
    let batches = await h.batches(send.id);
    expect(batches).toHaveLength(send.batches);
    expect(batches.map((b) => [b.status, b.attempts, b.last_error_code])).toEqual(batches.map(() => ['pending', 0, null]));
    let recipients = await h.recipients(send.id);
    expect(recipients.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

    // After the back-off they come back, fail alike again, and the configuration is logged once more: once per back-off.
    await handedBack(send.batches, 2);
    expect(unreadableLines()).toHaveLength(2);
    expect(h.batchSendStats().calls).toBe(0);
    batches = await h.batches(send.id);
    expect(batches.every((b) => b.status === 'pending' && b.attempts === 0)).toBe(true);

    // The key is back (the row re-encrypted under the worker's keys): the held-back batches go out, each once.
    await storeConfiguration(h.db, name, new SecretCipher(testSecretEncryptionKeys()));
    recipients = await h.settled(send.id, 20_000);
    expect(recipients.map((r) => r.user_id).sort()).toEqual([...userIds].sort());
    expect(recipients.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    batches = await h.batches(send.id);
    expect(batches.map((b) => [b.status, b.attempts])).toEqual(batches.map(() => ['sent', 1]));
    expect(h.batchSendStats().calls).toBe(send.batches);
    expect(errors.lines.filter((l) => l.includes('the job is retried'))).toEqual([]);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
