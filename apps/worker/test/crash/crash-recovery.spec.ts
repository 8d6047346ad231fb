import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryPolicy, RecipientReason } from '@dingrelay/contracts';
import type { CreateSendResult } from '@dingrelay/domain';
import {
  buildWorkerApp,
  describeExit,
  type ManagedProcess,
  PostgresServerProcess,
  prepareTestDatabase,
  RedisServerProcess,
  testDatabaseUrl,
  testRedisUrl,
} from '@dingrelay/testing';
import pg from 'pg';
import { type BatchRow, CrashScenario, type Progress, staff } from './crash-harness.js';

/**
 * Invariant 1 ("nothing accepted is lost") with real processes: the worker runs as `node apps/worker/dist/main.js`
 * and is SIGKILLed mid-send; a dedicated Redis is SIGKILLed (every job gone) and a fresh one started; a dedicated
 * Postgres is crashed (immediate shutdown) and restarted. Each time every recipient must end terminal, and the
 * simulator's ledger shows what users actually received: at-least-once re-sends only what was in flight at a crash
 * (and counts it), at-most-once never sends anyone a second message.
 *
 * The scenarios run concurrently (it.concurrent): most of their time is spent waiting out Bull's stalled-job check
 * (30 s lock) and the reconciler's 60 s grace period, and run one after the other they would take twice as long.
 *
 * Databases: each worker process runs the reconciler, which scans every open batch in its database, and the shared
 * test database holds other suites' open batches (the API's acceptance test leaves thousands). So the kill and Redis
 * scenarios each get a database of their own, dropped and recreated on every run, and the Postgres scenario a
 * whole cluster. Two runs of this suite on one machine take turns on an advisory lock (released by Postgres if a
 * run dies), which also keeps two `tsc -b` of the worker from writing the same files at once.
 */
const SUITE_LOCK_KEY = 7_363_108_201;
const SETUP_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 240_000;
const SENDS_OF = 2_000;

const KILL_DB = dedicatedDatabaseUrl('crash_kill');
const REDIS_DB = dedicatedDatabaseUrl('crash_redis');

function dedicatedDatabaseUrl(suffix: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

function adminUrl(): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = '/postgres';
  return url.toString();
}

/** A clean database for this run: whatever an earlier, interrupted run left open must not be delivered here. */
async function recreateDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await prepareTestDatabase(url);
}

/** What a worker logs when the reconciler re-enqueued batches; summed over the worker's output. */
function reconcilerRequeued(worker: ManagedProcess): number {
  return worker
    .linesMatching(/re-enqueued \d+ batches/)
    .reduce((sum, line) => sum + Number(/re-enqueued (\d+) batches/.exec(line)![1]), 0);
}

const settledOf = (p: Progress) => p.total - p.pending;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------------------------
// Scenario 1: SIGKILL mid-send, three times, with an at-least-once and an at-most-once send of 2,000 recipients each.

interface LostCall {
  batchId: string;
  sendId: string;
  /** The batch's `attempts` when the worker died: with the id, identifies one call. */
  attempts: number;
  users: number;
  kill: number;
}

interface KillRecord {
  worker: string;
  exit: string;
  /** Recipients out of `pending` per send when the worker was killed. */
  settled: { atLeastOnce: number; atMostOnce: number };
  inFlightBatches: number;
}

interface KillRun {
  scenario: CrashScenario;
  atLeastOnce: CreateSendResult;
  atMostOnce: CreateSendResult;
  /** Calls whose outcome died with a worker: the batches found `in_flight` right after each kill. */
  lost: LostCall[];
  kills: KillRecord[];
  finalWorker: ManagedProcess;
  msFromLastKillToSettled: number;
}

async function runKillScenario(): Promise<KillRun> {
  const scenario = await CrashScenario.start({
    name: 'kill',
    databaseUrl: KILL_DB,
    redisUrl: testRedisUrl(),
    // The ledger has the delivery as soon as DingTalk takes the call; the answer comes 150–350 ms later. A kill in
    // that window is exactly the ambiguous case: delivered, never recorded.
    latencyMs: { min: 150, max: 350 },
    // Only matters if a job stalls twice (Bull then fails it): the reconciler takes it up after its 60 s grace.
    workerEnv: { RECONCILE_INTERVAL_MS: '1000' },
  });
  scenarios.push(scenario);
  let worker = await scenario.startWorker();
  const atLeastOnce = await scenario.createSend(staff(0, SENDS_OF), DeliveryPolicy.AtLeastOnce);
  // The at-most-once send is accepted only after the at-least-once kills: queued from the start, its batches could
  // run ahead whenever the other send's jobs wait (pacing, retries), and finish before its own kill could be aimed.
  let atMostOnce: CreateSendResult | undefined;
  const acceptAtMostOnce = async (): Promise<CreateSendResult> =>
    (atMostOnce ??= await scenario.createSend(staff(SENDS_OF, 2 * SENDS_OF), DeliveryPolicy.AtMostOnce));
  const sendIds = () => [atLeastOnce.id, ...(atMostOnce ? [atMostOnce.id] : [])];

  const plan = [
    { send: async () => atLeastOnce, fraction: 0.2 },
    { send: async () => atLeastOnce, fraction: 0.6 },
    { send: acceptAtMostOnce, fraction: 0.35 },
  ];
  const lost = new Map<string, LostCall>();
  const kills: KillRecord[] = [];
  let lastKillAt = 0;
  for (const [index, step] of plan.entries()) {
    const send = await step.send();
    await scenario.waitForProgress(
      [send.id],
      (p) => settledOf(p) >= step.fraction * p.total && p.pending > 0 && p.inFlightBatches > 0,
      `${Math.round(step.fraction * 100)}% of send ${send.id} settled, with batches in flight`,
      90_000,
    );
    const exit = await worker.kill();
    lastKillAt = Date.now();
    // Nothing else touches these batches now: the snapshot is exactly what the dead worker had claimed.
    const [inFlight, atLeast, atMost] = await Promise.all([
      scenario.batches(sendIds(), 'in_flight'),
      scenario.progress([atLeastOnce.id]),
      atMostOnce ? scenario.progress([atMostOnce.id]) : undefined,
    ]);
    for (const b of inFlight) {
      const key = `${b.id}:${b.attempts}`;
      if (!lost.has(key)) lost.set(key, { batchId: b.id, sendId: b.send_id, attempts: b.attempts, users: b.user_ids.length, kill: index + 1 });
    }
    kills.push({
      worker: worker.name,
      exit: describeExit(exit),
      settled: { atLeastOnce: settledOf(atLeast), atMostOnce: atMost ? settledOf(atMost) : 0 },
      inFlightBatches: inFlight.length,
    });
    worker = await scenario.startWorker();
  }
  const accepted = await acceptAtMostOnce();
  await scenario.settled(sendIds());
  return {
    scenario,
    atLeastOnce,
    atMostOnce: accepted,
    lost: [...lost.values()],
    kills,
    finalWorker: worker,
    msFromLastKillToSettled: Date.now() - lastKillAt,
  };
}

function lostCallsByBatch(lost: readonly LostCall[], sendId: string): Map<string, number> {
  const byBatch = new Map<string, number>();
  for (const call of lost.filter((c) => c.sendId === sendId)) byBatch.set(call.batchId, (byBatch.get(call.batchId) ?? 0) + 1);
  return byBatch;
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 3: Redis SIGKILLed mid-send (no persistence: every queued job is lost), a fresh one on the same port.

interface RedisRun {
  scenario: CrashScenario;
  send: CreateSendResult;
  worker: ManagedProcess;
  settledAtKill: number;
  jobsLost: number;
  msFromRestartToSettled: number;
}

async function runRedisScenario(): Promise<RedisRun> {
  // Fails here, with a message naming the missing binary, on a machine without redis-server.
  const redis = await RedisServerProcess.start();
  redisServers.push(redis);
  const scenario = await CrashScenario.start({
    name: 'redis',
    databaseUrl: REDIS_DB,
    redisUrl: redis.url,
    latencyMs: { min: 100, max: 250 },
    // Recovery here waits for the reconciler's threshold for untouched batches, and for a job Bull may have left
    // active without running it, for the stalled-job check (once under load a batch stayed pending 50 s past the
    // reconciler's pass, with nothing logged). Both are shortened from their 60 s and 30 s defaults so that the
    // suite's time budget holds on a loaded machine.
    workerEnv: { RECONCILE_INTERVAL_MS: '1000', RECONCILE_AFTER_MS: '20000', STALLED_JOB_TIMEOUT_MS: '15000' },
  });
  scenarios.push(scenario);
  const worker = await scenario.startWorker();
  const send = await scenario.createSend(staff(0, SENDS_OF), DeliveryPolicy.AtLeastOnce);
  await scenario.waitForProgress([send.id], (p) => settledOf(p) >= 0.25 * p.total && p.pending > 0, '25% of the send settled', 90_000);
  // Waiting, delayed (paced or backing off) and active: every job Redis holds for the send dies with it.
  const counts = await scenario.queue().getJobCounts();
  const jobsLost = counts.waiting + counts.delayed + counts.active;
  await redis.kill();
  const settledAtKill = settledOf(await scenario.progress([send.id]));
  await delay(1_000); // the outage: the worker loses its connections and its blocked job fetch
  await redis.restart();
  const restartedAt = Date.now();
  await scenario.settled([send.id]);
  return { scenario, send, worker, settledAtKill, jobsLost, msFromRestartToSettled: Date.now() - restartedAt };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 4: Postgres crashed (immediate shutdown) mid-send and started again on the same data.

interface PostgresRun {
  scenario: CrashScenario;
  send: CreateSendResult;
  worker: ManagedProcess;
  settledAtCrash: number;
  msFromRestartToSettled: number;
}

async function runPostgresScenario(): Promise<PostgresRun> {
  const server = await PostgresServerProcess.create();
  postgresServers.push(server);
  const databaseUrl = server.url('dingrelay_crash');
  await prepareTestDatabase(databaseUrl);
  const scenario = await CrashScenario.start({
    name: 'postgres',
    databaseUrl,
    redisUrl: testRedisUrl(),
    latencyMs: { min: 100, max: 250 },
    // Recovery here waits for the reconciler's threshold for untouched batches, and for a job Bull may have left
    // active without running it, for the stalled-job check (once under load a batch stayed pending 50 s past the
    // reconciler's pass, with nothing logged). Both are shortened from their 60 s and 30 s defaults so that the
    // suite's time budget holds on a loaded machine.
    workerEnv: { RECONCILE_INTERVAL_MS: '1000', RECONCILE_AFTER_MS: '20000', STALLED_JOB_TIMEOUT_MS: '15000' },
  });
  scenarios.push(scenario);
  const worker = await scenario.startWorker();
  const send = await scenario.createSend(staff(0, SENDS_OF), DeliveryPolicy.AtLeastOnce);
  await scenario.waitForProgress([send.id], (p) => settledOf(p) >= 0.3 * p.total && p.pending > 0, '30% of the send settled', 90_000);
  const settledAtCrash = settledOf(await scenario.progress([send.id]));
  await server.stop('immediate');
  await delay(1_500); // the outage
  await server.start();
  const restartedAt = Date.now();
  await scenario.settled([send.id]);
  return { scenario, send, worker, settledAtCrash, msFromRestartToSettled: Date.now() - restartedAt };
}

// ---------------------------------------------------------------------------------------------------------------

const scenarios: CrashScenario[] = [];
const redisServers: RedisServerProcess[] = [];
const postgresServers: PostgresServerProcess[] = [];

let killRun: Promise<KillRun> | undefined;
let redisRun: Promise<RedisRun> | undefined;
let postgresRun: Promise<PostgresRun> | undefined;
const killScenario = () => (killRun ??= runKillScenario());
const redisScenario = () => (redisRun ??= runRedisScenario());
const postgresScenario = () => (postgresRun ??= runPostgresScenario());

describe('crash recovery with real worker processes', () => {
  let suiteLock: pg.Client | undefined;

  beforeAll(async () => {
    suiteLock = new pg.Client({ connectionString: adminUrl(), application_name: 'dingrelay-crash-suite-lock' });
    await suiteLock.connect();
    await suiteLock.query('SELECT pg_advisory_lock($1)', [SUITE_LOCK_KEY]);
    await Promise.all([buildWorkerApp(), recreateDatabase(KILL_DB), recreateDatabase(REDIS_DB)]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    // Whatever state a scenario is in, its processes go: workers first, then the servers they talk to.
    await Promise.allSettled([killRun, redisRun, postgresRun]);
    await Promise.allSettled(scenarios.map((s) => s.close()));
    await Promise.allSettled(redisServers.map((r) => r.stop()));
    await Promise.allSettled(postgresServers.map((p) => p.destroy()));
    await suiteLock?.query('SELECT pg_advisory_unlock($1)', [SUITE_LOCK_KEY]).catch(() => undefined);
    await suiteLock?.end().catch(() => undefined);
  }, 60_000);

  it.concurrent(
    'SIGKILL mid-send, at-least-once: every recipient delivered; re-sent only what was in flight at a kill, and counted',
    async () => {
      const run = await killScenario();
      const { scenario: s, atLeastOnce: send } = run;
      const lostByBatch = lostCallsByBatch(run.lost, send.id);
      // The first two kills landed in this send's batches (the worker had calls in flight).
      expect(lostByBatch.size).toBeGreaterThan(0);
      for (const k of run.kills.slice(0, 2)) expect(k.settled.atLeastOnce).toBeGreaterThan(0);
      for (const k of run.kills.slice(0, 2)) expect(k.settled.atLeastOnce).toBeLessThan(SENDS_OF);

      const recipients = await s.recipients(send.id);
      expect(recipients).toHaveLength(SENDS_OF);
      expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);

      // The DB counts each lost call on its batch, and the re-send as another attempt.
      const batches = await s.batches([send.id]);
      const counted = batches.map((b) => [b.id, b.status, b.attempts, b.ambiguous_attempts]);
      const expected = batches.map((b) => [b.id, 'sent', 1 + (lostByBatch.get(b.id) ?? 0), lostByBatch.get(b.id) ?? 0]);
      expect(counted).toEqual(expected);
      expect(sum(batches.map((b) => b.ambiguous_attempts))).toBe(sum([...lostByBatch.values()]));

      // The ledger: everyone at least once; more only for users of a batch whose call was lost, at most once per
      // lost call. The duplicates are bounded by what was in flight at the kills.
      const batchOf = new Map(recipients.map((r) => [r.user_id, r.batch_id]));
      const tooMany: string[] = [];
      let duplicates = 0;
      for (const userId of staff(0, SENDS_OF)) {
        const received = s.sim.ledger.countFor(userId);
        const allowed = 1 + (lostByBatch.get(batchOf.get(userId)!) ?? 0);
        if (received < 1 || received > allowed) tooMany.push(`${userId}: ${received} (allowed 1..${allowed})`);
        duplicates += Math.max(0, received - 1);
      }
      expect(tooMany).toEqual([]);
      const usersInLostCalls = sum(run.lost.filter((c) => c.sendId === send.id).map((c) => c.users));
      expect(duplicates).toBeLessThanOrEqual(usersInLostCalls);
      for (const r of recipients) expect(r.attempts).toBe(1 + (lostByBatch.get(r.batch_id) ?? 0));

      const status = await s.sendStatus(send.id);
      expect(status).toMatchObject({ status: 'completed', recipients: { total: SENDS_OF, delivered: SENDS_OF, pending: 0 } });
      expect(status.batches.remaining).toBe(0);

      console.log(
        `[crash/kill at-least-once] kills: ${JSON.stringify(run.kills)}; lost calls on this send: ${sum([...lostByBatch.values()])} ` +
          `(${usersInLostCalls} users); delivered ${SENDS_OF}; duplicate deliveries ${duplicates}; ` +
          `ambiguous_attempts ${sum(batches.map((b) => b.ambiguous_attempts))}; settled ${run.msFromLastKillToSettled} ms after the last kill`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'SIGKILL mid-send, at-most-once: nobody receives twice; what was in flight at the kill ends unknown, not re-sent',
    async () => {
      const run = await killScenario();
      const { scenario: s, atMostOnce: send } = run;
      const lostByBatch = lostCallsByBatch(run.lost, send.id);
      expect(lostByBatch.size).toBeGreaterThan(0);
      expect(run.kills[2]!.settled.atMostOnce).toBeGreaterThan(0);
      expect(run.kills[2]!.settled.atMostOnce).toBeLessThan(SENDS_OF);

      const users = staff(SENDS_OF, 2 * SENDS_OF);
      const twice = users.filter((u) => s.sim.ledger.countFor(u) > 1);
      expect(twice).toEqual([]);

      const recipients = await s.recipients(send.id);
      expect(recipients).toHaveLength(SENDS_OF);
      const inLostCall = recipients.filter((r) => lostByBatch.has(r.batch_id));
      const others = recipients.filter((r) => !lostByBatch.has(r.batch_id));
      expect(inLostCall.length).toBeGreaterThan(0);
      for (const r of inLostCall) {
        expect(r).toMatchObject({ status: 'unknown', reason_code: RecipientReason.AmbiguousNotResent, attempts: 1 });
      }
      expect(others.filter((r) => r.status !== 'delivered')).toEqual([]);
      // Delivered exactly once: the ledger agrees with every row that says delivered.
      expect(others.filter((r) => s.sim.ledger.countFor(r.user_id) !== 1).map((r) => r.user_id)).toEqual([]);

      // The lost calls are counted on their batches; nothing was called again.
      const batches = await s.batches([send.id]);
      const counted = batches.map((b) => [b.id, b.status, b.attempts, b.ambiguous_attempts]);
      const expected = batches.map((b: BatchRow) => (lostByBatch.has(b.id) ? [b.id, 'unknown', 1, 1] : [b.id, 'sent', 1, 0]));
      expect(counted).toEqual(expected);

      const status = await s.sendStatus(send.id);
      expect(status).toMatchObject({
        status: 'completed',
        recipients: { total: SENDS_OF, delivered: others.length, unknown: inLostCall.length, pending: 0 },
      });

      const reachedDingTalk = inLostCall.filter((r) => s.sim.ledger.countFor(r.user_id) === 1).length;
      console.log(
        `[crash/kill at-most-once] lost calls on this send: ${lostByBatch.size}; delivered ${others.length}; ` +
          `unknown ${inLostCall.length} (of which DingTalk had delivered ${reachedDingTalk}); users received twice: 0`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    "SIGKILL mid-send: the killed workers' active jobs are taken up again; no batch stays open, the queue drains",
    async () => {
      const run = await killScenario();
      const { scenario: s } = run;
      const both = [run.atLeastOnce.id, run.atMostOnce.id];
      expect(run.kills.map((k) => k.exit)).toEqual(['signal SIGKILL', 'signal SIGKILL', 'signal SIGKILL']);
      expect(run.lost.length).toBeGreaterThan(0);

      // Every batch a dead worker held in flight was claimed again by a later worker and settled.
      const byId = new Map((await s.batches(both)).map((b) => [b.id, b]));
      expect(run.lost.map((c) => byId.get(c.batchId)!.status).filter((st) => st !== 'sent' && st !== 'unknown')).toEqual([]);
      expect([...byId.values()].filter((b) => b.status === 'pending' || b.status === 'in_flight')).toEqual([]);

      const counts = await s.queue().getJobCounts();
      expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
      // The last worker is the one that did it, and it is still healthy.
      expect(run.finalWorker.running).toBe(true);

      console.log(
        `[crash/kill stalled] ${run.lost.length} lost calls in ${new Set(run.lost.map((c) => c.batchId)).size} batches recovered ` +
          `${run.msFromLastKillToSettled} ms after the last kill; jobs failed by Bull (stalled twice): ${counts.failed}; ` +
          `batches re-enqueued by the reconciler: ${reconcilerRequeued(run.finalWorker)}`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'Redis SIGKILLed mid-send and restarted empty: the reconciler re-enqueues from Postgres and everyone gets it once',
    async () => {
      const run = await redisScenario();
      const { scenario: s, send } = run;
      expect(run.settledAtKill).toBeGreaterThan(0);
      expect(run.settledAtKill).toBeLessThan(SENDS_OF);
      expect(run.jobsLost).toBeGreaterThan(0);

      const recipients = await s.recipients(send.id);
      expect(recipients).toHaveLength(SENDS_OF);
      expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
      // No call lost its answer (the worker and Postgres lived), so nobody got it twice and nothing is ambiguous.
      expect(staff(0, SENDS_OF).filter((u) => s.sim.ledger.countFor(u) !== 1)).toEqual([]);
      expect(s.sim.ledger.summary().duplicateDeliveries).toBe(0);
      const batches = await s.batches([send.id]);
      expect(batches.filter((b) => b.status !== 'sent' || b.ambiguous_attempts !== 0)).toEqual([]);
      expect((await s.sendStatus(send.id)).status).toBe('completed');

      // The lost jobs came back through the reconciler, and the worker rode out the restart.
      const requeued = reconcilerRequeued(run.worker);
      expect(requeued).toBeGreaterThan(0);
      expect(run.worker.running).toBe(true);

      console.log(
        `[crash/redis] settled at the kill ${run.settledAtKill}; jobs lost with Redis ${run.jobsLost}; re-enqueued by the reconciler ` +
          `${requeued}; delivered ${SENDS_OF}, duplicates 0; settled ${run.msFromRestartToSettled} ms after the restart`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'Postgres crashed mid-send and restarted: every recipient delivered, duplicates only where a call lost its answer',
    async () => {
      const run = await postgresScenario();
      const { scenario: s, send } = run;
      expect(run.settledAtCrash).toBeGreaterThan(0);
      expect(run.settledAtCrash).toBeLessThan(SENDS_OF);

      const recipients = await s.recipients(send.id);
      expect(recipients).toHaveLength(SENDS_OF);
      expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);

      // A call made while Postgres went down could not be recorded: the retry finds its batch in flight, counts the
      // ambiguity and (at-least-once) re-sends. Extra deliveries only ever come from such a batch.
      const batches = await s.batches([send.id]);
      expect(batches.filter((b) => b.status !== 'sent')).toEqual([]);
      const ambiguousOf = new Map(batches.map((b) => [b.id, b.ambiguous_attempts]));
      const outOfBounds: string[] = [];
      let duplicates = 0;
      for (const r of recipients) {
        const received = s.sim.ledger.countFor(r.user_id);
        const allowed = 1 + ambiguousOf.get(r.batch_id)!;
        if (received < 1 || received > allowed) outOfBounds.push(`${r.user_id}: ${received} (allowed 1..${allowed})`);
        duplicates += Math.max(0, received - 1);
      }
      expect(outOfBounds).toEqual([]);
      expect((await s.sendStatus(send.id)).status).toBe('completed');
      expect(run.worker.running).toBe(true);

      console.log(
        `[crash/postgres] settled at the crash ${run.settledAtCrash}; delivered ${SENDS_OF}; ambiguous calls ` +
          `${sum(batches.map((b) => b.ambiguous_attempts))}; duplicate deliveries ${duplicates}; settled ${run.msFromRestartToSettled} ms after the restart`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
