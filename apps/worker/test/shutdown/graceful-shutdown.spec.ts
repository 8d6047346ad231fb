import { DeliveryPolicy } from '@dingrelay/contracts';
import { buildWorkerApp, describeExit, type ManagedProcess, prepareTestDatabase, testDatabaseUrl, testRedisUrl } from '@dingrelay/testing';
import pg from 'pg';
import { CrashScenario, staff } from '../crash/crash-harness.js';

/**
 * Graceful shutdown with real worker processes (`node apps/worker/dist/main.js`): SIGTERM in the middle of a send
 * lets the calls in flight finish, hands the jobs not yet calling DingTalk back to the queue, and exits 0; the next
 * worker finishes the send and every user received the message exactly once. A shutdown timeout with calls still in
 * flight, or a second signal, still ends the process (exit 1), and the recovery that follows (stalled jobs, the
 * ambiguity policy) completes the send.
 *
 * Its own database, dropped and recreated per run: every worker's reconciler scans all open batches of its
 * database, and the shared test database holds other suites' (see the crash suite).
 */
const SETUP_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 300_000;
const SETTLE_TIMEOUT_MS = 200_000;

const DATABASE_URL = (() => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_shutdown`;
  return url.toString();
})();

async function recreateDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(new URL(url).pathname.slice(1))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await prepareTestDatabase(url);
}

/** The worker's JSON log lines (the test relies on the default LOG_FORMAT=json). */
function logLines(worker: ManagedProcess): { context?: string; message: string; level: string }[] {
  return worker.linesMatching(/^\{/).map((line) => JSON.parse(line) as { context?: string; message: string; level: string });
}

const shutdownMessages = (worker: ManagedProcess) => logLines(worker).filter((l) => l.context === 'Shutdown').map((l) => l.message);

/** Waits for the process to exit on its own (the signal was sent already); SIGKILL after `ms` so a hang fails the test. */
async function exitOf(worker: ManagedProcess, ms = 60_000): Promise<string> {
  return describeExit(await worker.exitWithin(ms));
}

describe('graceful shutdown of a worker process', () => {
  const scenarios: CrashScenario[] = [];

  beforeAll(async () => {
    await Promise.all([buildWorkerApp(), recreateDatabase(DATABASE_URL)]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(scenarios.map((s) => s.close()));
  }, 60_000);

  it(
    'SIGTERM mid-send: in-flight calls finish, the rest is handed back, exit 0; the next worker completes the send, each user once',
    async () => {
      const s = await CrashScenario.start({
        name: 'sigterm',
        databaseUrl: DATABASE_URL,
        redisUrl: testRedisUrl(),
        // Calls in flight long enough that a SIGTERM finds some mid-call.
        latencyMs: { min: 150, max: 300 },
        // 9 calls/s: 50 batches take ~6 s, so the signal lands mid-send.
        workerEnv: { DINGTALK_CALLS_PER_SECOND: '10', SHUTDOWN_TIMEOUT_MS: '20000' },
      });
      scenarios.push(s);
      const first = await s.startWorker();
      const users = staff(0, 1_000);
      const send = await s.createSend(users, DeliveryPolicy.AtLeastOnce);

      await s.waitForProgress([send.id], (p) => p.total - p.pending >= 60 && p.inFlightBatches > 0, 'calls in flight mid-send');
      first.signal('SIGTERM');
      expect(await exitOf(first)).toBe('exit code 0');
      expect(shutdownMessages(first)).toEqual([
        expect.stringMatching(/^SIGTERM received: shutting down gracefully/),
        expect.stringMatching(/^draining: taking no new jobs/),
        'drained: every job in progress finished or was handed back to the queue',
        'closing connections',
        'shutdown complete',
      ]);
      // Nothing left mid-call: every call the worker had started got its answer recorded before it exited.
      expect(await s.batches([send.id], 'in_flight')).toEqual([]);
      const atShutdown = await s.progress([send.id]);
      expect(atShutdown.pending).toBeGreaterThan(0);

      await s.startWorker();
      await s.settled([send.id], SETTLE_TIMEOUT_MS);

      const recipients = await s.recipients(send.id);
      expect(recipients).toHaveLength(users.length);
      expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
      // The ledger is the judge: everyone received it exactly once, nobody twice, nobody missing.
      expect(users.filter((u) => s.sim.ledger.countFor(u) !== 1)).toEqual([]);
      expect(s.sim.ledger.summary().duplicateDeliveries).toBe(0);
      // The shutdown cost no attempt: one call per batch, none ambiguous, no failed attempt on the timeline.
      const batches = await s.batches([send.id]);
      expect(batches.filter((b) => b.attempts !== 1 || b.ambiguous_attempts !== 0)).toEqual([]);
      const { rows: failedAttempts } = await s.db.query(
        `SELECT details FROM send_events WHERE send_id = $1 AND type = 'batch.attempt' AND details->>'result' <> 'sent'`,
        [send.id],
      );
      expect(failedAttempts).toEqual([]);
      const { rows: attemptEvents } = await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM send_events WHERE send_id = $1 AND type = 'batch.attempt'`,
        [send.id],
      );
      expect(attemptEvents[0]!.n).toBe(batches.length);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the shutdown timeout with calls still in flight, or a second SIGTERM, still ends the process (exit 1); recovery completes the send',
    async () => {
      const s = await CrashScenario.start({
        name: 'sigterm-forced',
        databaseUrl: DATABASE_URL,
        redisUrl: testRedisUrl(),
        // Every call outlasts the first worker's shutdown timeout.
        latencyMs: { min: 8_000, max: 9_000 },
        workerEnv: {
          DINGTALK_TIMEOUT_MS: '12000',
          STALLED_JOB_TIMEOUT_MS: '15000',
          RECONCILE_INTERVAL_MS: '2000',
          RECONCILE_AFTER_MS: '5000',
          WORKER_CONCURRENCY: '2',
        },
      });
      scenarios.push(s);
      const timedOut = await s.startWorker({ SHUTDOWN_TIMEOUT_MS: '500' });
      const users = staff(0, 200);
      const send = await s.createSend(users, DeliveryPolicy.AtLeastOnce);

      // The timeout: a call that has just started is still in flight when it passes, and is left to the recovery.
      await s.waitForProgress([send.id], (p) => p.inFlightBatches >= 1, 'a call in flight');
      timedOut.signal('SIGTERM');
      expect(await exitOf(timedOut)).toBe('exit code 1');
      expect(shutdownMessages(timedOut)).toContainEqual(expect.stringMatching(/^shutdown timeout \(500 ms\) reached with [12] deliveries still running/));
      const leftInFlight = (await s.progress([send.id])).inFlightBatches;
      expect(leftInFlight).toBeGreaterThanOrEqual(1);

      // The operator's second Ctrl-C: no more waiting, whatever is in flight.
      const impatient = await s.startWorker({ SHUTDOWN_TIMEOUT_MS: '120000' });
      await s.waitForProgress([send.id], (p) => p.inFlightBatches > leftInFlight, 'the second worker mid-call');
      impatient.signal('SIGTERM');
      await impatient.waitForLine(/draining: taking no new jobs/, 30_000);
      impatient.signal('SIGTERM');
      expect(await exitOf(impatient)).toBe('exit code 1');
      expect(shutdownMessages(impatient)).toContainEqual(expect.stringMatching(/^SIGTERM received again: exiting now/));

      // The calls cut mid-way are in flight; the stalled-job check (or the reconciler) and the at-least-once policy
      // re-send them, and everything else is delivered as usual.
      await s.startWorker({ WORKER_CONCURRENCY: '8' });
      await s.settled([send.id], SETTLE_TIMEOUT_MS);
      const recipients = await s.recipients(send.id);
      expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
      expect(users.filter((u) => s.sim.ledger.countFor(u) < 1)).toEqual([]);
      const batches = await s.batches([send.id]);
      expect(batches.filter((b) => b.ambiguous_attempts > 0).length).toBeGreaterThanOrEqual(leftInFlight);
    },
    TEST_TIMEOUT_MS,
  );
});
