import { type INestApplicationContext, Logger } from '@nestjs/common';
import { testSecretEncryptionKeys } from '@dingrelay/testing';
import {
  ChatConfigurationDirectory,
  generateSecretEncryptionKey,
  ReadStatusScanner,
  RecallScanner,
  RefreshReadStatusUseCase,
  RequestRecallUseCase,
  SecretCipher,
  SendConfigurationDeletedError,
  systemActor,
} from '../../src/index.js';
import { APP, DELIVERY_TEST_TIMEOUT_MS, type DeliveryHarness } from '../support/delivery-harness.js';
import { ErrorLines, storeConfiguration } from '../support/unreadable-configuration.js';
import { followUpBatches, readRows, startReadRecallHarness, startScanningWorker } from './read-recall-harness.js';

/**
 * A send whose chat configuration was deleted, and another created under its name (issue #13, finding 9c): nothing
 * done for the old send may use the new configuration's app. Read polls stop and a recall asked before the delete
 * fails its keys, both without a DingTalk call and before any secret is read; asking now is a 409, audited.
 */
describe('a send whose configuration was deleted and re-created under its name', () => {
  let h: DeliveryHarness;
  let worker: INestApplicationContext;
  const errors = new ErrorLines();
  let name: string;
  const readable = () => new SecretCipher(testSecretEncryptionKeys());

  beforeAll(async () => {
    h = await startReadRecallHarness('deleted-configuration', { faults: { apis: ['batchSend'], latencyMs: 0 } });
    // No timed scans: the test runs each scan itself.
    worker = await startScanningWorker(h, { pollScheduleMs: [200], scanIntervalMs: 24 * 60 * 60 * 1000 });
    name = `replaced-${h.prefix}`.slice(0, 60);
    Logger.overrideLogger(errors);
  });

  afterAll(async () => {
    Logger.overrideLogger(['error']);
    await worker?.close();
    await h?.close();
  });

  const configurationId = async (of: string): Promise<string> =>
    ((await h.db.query(`SELECT id FROM chat_configurations WHERE name = $1`, [of])) as { id: string }[])[0]!.id;

  it('stops its polls and fails its recall without a call, never through the new app; a recall or refresh now is a 409', async () => {
    const send = await h.createSend({ userIds: h.users(40) });
    await h.settled(send.id);
    // The send went through `name` (its first configuration), which a recall is then asked of.
    await storeConfiguration(h.db, name, readable());
    const first = await configurationId(name);
    await h.db.query(`UPDATE sends SET chat_configuration = $2, chat_configuration_id = $3 WHERE id = $1`, [send.id, name, first]);
    await (await h.producerUseCase(RequestRecallUseCase)).execute(send.id, systemActor('deleted-test'));

    // Deleted, and created anew under the name; the new one's secrets are even unreadable: that must not matter.
    await h.db.query(`DELETE FROM chat_configurations WHERE id = $1`, [first]);
    await storeConfiguration(h.db, name, new SecretCipher(generateSecretEncryptionKey('gone')));
    expect(await configurationId(name)).not.toBe(first);
    await h.db.query(`UPDATE batches SET read_next_poll_at = now() WHERE send_id = $1`, [send.id]);
    const keys = (await followUpBatches(h, send.id)).map((b) => b.process_query_key);
    expect(keys).toHaveLength(2);

    // Polls: stopped, marked, no call, and not held back as unreadable.
    expect(await worker.get(ReadStatusScanner).scanOnce()).toBe(2);
    const batches = await followUpBatches(h, send.id);
    expect(batches.map((b) => ({ polls: b.read_polls, next: b.read_next_poll_at, code: b.read_error_code }))).toEqual([
      { polls: 0, next: null, code: 'dingrelay.chatConfigurationDeleted' },
      { polls: 0, next: null, code: 'dingrelay.chatConfigurationDeleted' },
    ]);
    expect(h.sim.readStatusCalls().filter((c) => keys.includes(c.processQueryKey))).toHaveLength(0);

    // The recall asked before the delete: completed, every delivered message failed with the reason, no call.
    expect(await worker.get(RecallScanner).scanOnce()).toBe(1);
    const [recall]: { recall_completed_at: Date | null }[] = await h.db.query(`SELECT recall_completed_at FROM sends WHERE id = $1`, [send.id]);
    expect(recall!.recall_completed_at).not.toBeNull();
    const rows = await readRows(h, send.id);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => `${r.status} ${r.recall_status} ${r.recall_reason}`))).toEqual(new Set(['delivered failed dingrelay.chatConfigurationDeleted']));
    expect(h.sim.recalls().filter((r) => r.processQueryKeys.some((k) => keys.includes(k)))).toHaveLength(0);
    expect(errors.unreadable(name)).toEqual([]);

    // Asked now: refused, naming the deletion, audited as failed; nothing changes.
    const refusals = [
      ['send.recall', async () => (await h.producerUseCase(RequestRecallUseCase)).execute(send.id, systemActor('deleted-test'))],
      ['send.read-status.refresh', async () => (await h.producerUseCase(RefreshReadStatusUseCase)).execute(send.id, systemActor('deleted-test'))],
    ] as const;
    for (const [action, ask] of refusals) {
      const refusal = ask();
      await expect(refusal).rejects.toBeInstanceOf(SendConfigurationDeletedError);
      await expect(refusal).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`chat configuration ${name}, which has been deleted since`) });
      const [event]: { outcome: string; code: string }[] = await h.db.query(
        `SELECT outcome, details->>'errorCode' AS code FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY id DESC LIMIT 1`,
        [action, send.id],
      );
      expect(event).toEqual({ outcome: 'failed', code: 'CONFLICT' });
    }
    expect((await followUpBatches(h, send.id)).every((b) => b.read_next_poll_at === null)).toBe(true);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it("reads a configuration again when its cached copy is not the send's, and never hands out another configuration's app", async () => {
    const other = `cached-${h.prefix}`.slice(0, 60);
    const directory = new ChatConfigurationDirectory(h.db, readable(), [], 60_000);
    await storeConfiguration(h.db, other, readable());
    const first = await configurationId(other);
    expect((await directory.find(other))?.id).toBe(first);

    // Replaced by another process: the plain lookup still has the old copy for a minute...
    await h.db.query(`DELETE FROM chat_configurations WHERE id = $1`, [first]);
    await storeConfiguration(h.db, other, readable());
    const second = await configurationId(other);
    expect((await directory.find(other))?.id).toBe(first);
    // ...a send of the new one gets the new one at once; a send of the old one gets none.
    expect(await directory.findAsRecorded(other, second)).toMatchObject({ id: second, name: other, appKey: APP.appKey });
    expect(await directory.findAsRecorded(other, first)).toBeUndefined();
    // A send recorded without an id is another configuration's too once a row has the name; with none, there is none.
    expect(await directory.findAsRecorded(other, null)).toBeUndefined();
    expect(await directory.findAsRecorded(`${other}-none`, null)).toBeUndefined();

    // Pinned configurations stand for their name (embedding code only).
    const pinned = new ChatConfigurationDirectory(h.db, readable(), [{ name: other, ...APP }]);
    expect(await pinned.findAsRecorded(other, first)).toMatchObject({ name: other, appKey: APP.appKey });
  });
});
