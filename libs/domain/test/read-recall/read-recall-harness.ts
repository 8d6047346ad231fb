import type { INestApplicationContext } from '@nestjs/common';
import { startTestDeliveryWorker, testRedisUrl } from '@dingrelay/testing';
import type { ReadTrackingSettings } from '../../src/index.js';
import {
  DEFAULT_CONFIGURATION,
  dedicatedTestDatabaseUrl,
  DeliveryHarness,
  type HarnessOptions,
  TEST_WORKER_SETTINGS,
  waitFor,
} from '../support/delivery-harness.js';

/**
 * Read tracking and recall scan the whole database by design, so these suites run on a database of their own (the
 * shared one holds other suites' batches, which this suite's simulator has never seen).
 */
export async function startReadRecallHarness(suite: string, sim: HarnessOptions['sim'] = {}): Promise<DeliveryHarness> {
  return DeliveryHarness.start({ suite, sim, databaseUrl: dedicatedTestDatabaseUrl('readrecall') });
}

/** A worker with the read/recall scanners on, polling on a short schedule. */
export function startScanningWorker(
  h: DeliveryHarness,
  readTracking: Partial<ReadTrackingSettings>,
  concurrency = 4,
): Promise<INestApplicationContext> {
  return startTestDeliveryWorker({
    databaseUrl: h.databaseUrl,
    redisUrl: testRedisUrl(),
    queuePrefix: h.prefix,
    dingtalkBaseUrl: h.sim.url,
    chatConfigurations: [DEFAULT_CONFIGURATION],
    settings: { ...TEST_WORKER_SETTINGS, concurrency },
    readTracking: { scanIntervalMs: 50, retryBaseDelayMs: 50, ...readTracking },
  });
}

export interface ReadRow {
  user_id: string;
  status: string;
  read_status: string | null;
  read_at: Date | null;
  recall_status: string | null;
  recall_reason: string | null;
  recalled_at: Date | null;
  batch_id: string;
}

export interface FollowUpBatchRow {
  id: string;
  seq: number;
  status: string;
  process_query_key: string | null;
  sent_at: Date | null;
  read_polls: number;
  read_next_poll_at: Date | null;
  read_error_code: string | null;
  recall_status: string | null;
  recall_reason: string | null;
}

export function readRows(h: DeliveryHarness, sendId: string): Promise<ReadRow[]> {
  return h.db.query(
    `SELECT user_id, status, read_status, read_at, recall_status, recall_reason, recalled_at, batch_id
       FROM recipients WHERE send_id = $1 ORDER BY id`,
    [sendId],
  );
}

export function followUpBatches(h: DeliveryHarness, sendId: string): Promise<FollowUpBatchRow[]> {
  return h.db.query(
    `SELECT id, seq, status, process_query_key, sent_at, read_polls, read_next_poll_at, read_error_code, recall_status, recall_reason
       FROM batches WHERE send_id = $1 ORDER BY seq`,
    [sendId],
  );
}

export async function recallDone(h: DeliveryHarness, sendId: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => (await h.db.query(`SELECT recall_completed_at FROM sends WHERE id = $1`, [sendId]))[0] as { recall_completed_at: Date | null },
    (row) => row.recall_completed_at !== null,
    { timeoutMs, intervalMs: 50, description: `recall of send ${sendId} to complete` },
  );
}
