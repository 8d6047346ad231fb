import { type INestApplicationContext, Logger } from '@nestjs/common';
import { testSecretEncryptionKeys } from '@dingrelay/testing';
import {
  generateSecretEncryptionKey,
  ReadStatusScanner,
  RecallScanner,
  RequestRecallUseCase,
  SecretCipher,
  systemActor,
} from '../../src/index.js';
import { DELIVERY_TEST_TIMEOUT_MS, type DeliveryHarness } from '../support/delivery-harness.js';
import { ErrorLines, storeConfiguration } from '../support/unreadable-configuration.js';
import { followUpBatches, startReadRecallHarness, startScanningWorker } from './read-recall-harness.js';

const BACKOFF_MS = 1_000;

/**
 * A configuration whose secrets cannot be decrypted (its key removed before its rows were re-encrypted): the
 * scanners say so once per configuration per back-off, not once per batch or send, and push its work back by the
 * back-off; nothing is dropped, and once the key is back the work goes through.
 */
describe('a configuration whose secrets cannot be decrypted', () => {
  let h: DeliveryHarness;
  let worker: INestApplicationContext;
  const errors = new ErrorLines();
  let name: string;

  beforeAll(async () => {
    h = await startReadRecallHarness('unreadable', { faults: { apis: ['batchSend'], latencyMs: 0 } });
    // No timed scans: the test runs each scan itself.
    worker = await startScanningWorker(h, { pollScheduleMs: [200], scanIntervalMs: 24 * 60 * 60 * 1000, unreadableConfigurationBackoffMs: BACKOFF_MS });
    name = `locked-${h.prefix}`.slice(0, 60);
    Logger.overrideLogger(errors);
  });

  afterAll(async () => {
    Logger.overrideLogger(['error']);
    await worker?.close();
    await h?.close();
  });

  const unreadableLines = () => errors.unreadable(name);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('holds its polls and recalls back, logs once per back-off, and carries them out once the key is back', async () => {
    const send = await h.createSend({ userIds: h.users(40) });
    await h.settled(send.id);
    await storeConfiguration(h.db, name, new SecretCipher(generateSecretEncryptionKey('gone')));
    // Moved to that configuration, id and all: a send only ever uses the configuration it went through.
    await h.db.query(`UPDATE sends SET chat_configuration = c.name, chat_configuration_id = c.id FROM chat_configurations c WHERE sends.id = $1 AND c.name = $2`, [
      send.id,
      name,
    ]);
    await h.db.query(`UPDATE batches SET read_next_poll_at = now() WHERE send_id = $1`, [send.id]);
    const scanner = worker.get(ReadStatusScanner);
    const keys = (await followUpBatches(h, send.id)).map((b) => b.process_query_key);
    const pollsOf = () => h.sim.readStatusCalls().filter((c) => keys.includes(c.processQueryKey)).length;

    // Both batches are taken up and fail alike: one line, and both are pushed a back-off ahead, none ended.
    const before = Date.now();
    expect(await scanner.scanOnce()).toBe(2);
    expect(unreadableLines()).toHaveLength(1);
    expect(unreadableLines()[0]).toMatch(/stored secrets cannot be decrypted \(secret encryption key gone is not in SECRET_ENCRYPTION_KEYS\)/);
    let batches = await followUpBatches(h, send.id);
    expect(batches).toHaveLength(2);
    for (const b of batches) {
      expect(b.read_polls).toBe(0);
      expect(b.read_next_poll_at).not.toBeNull();
      const due = new Date(b.read_next_poll_at!).getTime();
      expect(due).toBeGreaterThanOrEqual(before + BACKOFF_MS - 50);
      expect(due).toBeLessThan(Date.now() + BACKOFF_MS + 50);
    }
    expect(pollsOf()).toBe(0);

    // Nothing is due until the back-off has passed.
    expect(await scanner.scanOnce()).toBe(0);
    expect(unreadableLines()).toHaveLength(1);

    // After it, they are tried again (and the configuration is logged again: once per back-off).
    await sleep(BACKOFF_MS + 50);
    expect(await scanner.scanOnce()).toBe(2);
    expect(unreadableLines()).toHaveLength(2);
    batches = await followUpBatches(h, send.id);
    expect(batches.every((b) => b.read_polls === 0 && b.read_next_poll_at !== null)).toBe(true);

    // A recall of the send is held back the same way, and stays open.
    const recallScanner = worker.get(RecallScanner);
    await (await h.producerUseCase(RequestRecallUseCase)).execute(send.id, systemActor('unreadable-test'));
    expect(await recallScanner.scanOnce()).toBe(1);
    expect(await recallScanner.scanOnce()).toBe(0);
    const [held]: { recall_completed_at: Date | null; recall_lease_until: Date }[] = await h.db.query(
      `SELECT recall_completed_at, recall_lease_until FROM sends WHERE id = $1`,
      [send.id],
    );
    expect(held!.recall_completed_at).toBeNull();
    expect(new Date(held!.recall_lease_until).getTime()).toBeGreaterThan(Date.now());
    expect(unreadableLines()).toHaveLength(3);
    expect(h.sim.recalls().filter((r) => r.processQueryKeys.some((k) => keys.includes(k)))).toHaveLength(0);

    // The key is back (the row re-encrypted under the worker's keys): the held-back work goes through.
    await storeConfiguration(h.db, name, new SecretCipher(testSecretEncryptionKeys()));
    await sleep(BACKOFF_MS + 50);
    expect(await scanner.scanOnce()).toBe(2);
    batches = await followUpBatches(h, send.id);
    expect(batches.map((b) => b.read_polls)).toEqual([1, 1]);
    expect(pollsOf()).toBe(2);
    expect(await recallScanner.scanOnce()).toBe(1);
    const [done]: { recall_completed_at: Date | null }[] = await h.db.query(`SELECT recall_completed_at FROM sends WHERE id = $1`, [send.id]);
    expect(done!.recall_completed_at).not.toBeNull();
    expect(h.sim.recalls().filter((r) => r.processQueryKeys.some((k) => keys.includes(k)))).toHaveLength(1);
    expect(unreadableLines()).toHaveLength(3);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
