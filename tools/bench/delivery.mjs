#!/usr/bin/env node
// dingrelay delivery benchmark. Run from the repository root:
//
//   node tools/bench/delivery.mjs                 # the full benchmark (about 3 minutes on 2 quiet cores)
//   node tools/bench/delivery.mjs --quick         # smoke run with small sizes (under a minute)
//   node tools/bench/delivery.mjs --only pacing   # one scenario (pacing, ceiling, accept, baseline; comma-separated)
//   node tools/bench/delivery.mjs --help          # every flag
//
// It builds (npm run build), then against a local Postgres and Redis (DATABASE_URL / REDIS_URL, else
// postgres://postgres@127.0.0.1:5432 and redis://127.0.0.1:6379) starts real processes, `node apps/*/dist/main.js`:
// the DingTalk simulator, the API and one or more workers, and measures
//   pacing   N recipients, simulator capped at 20 calls/s per app, dingrelay at its defaults: time from the 202 to
//            every recipient terminal in Postgres, against the ideal (20 calls/s x 20 users); throttles received.
//   ceiling  simulator uncapped, dingrelay's pace out of the way: recipients/s end to end, per worker concurrency
//            and number of worker processes.
//   accept   the HTTP round trip of POST /v1/sends with 100,000 recipients (median of 3; no workers running).
//   baseline the same recipients sent by a plain loop over the official @alicloud/dingtalk SDK against the same
//            uncapped simulator: sequential, and in N concurrent loops.
//   apps     several sends at once, each through its own chat configuration and DingTalk app (20 by default), the
//            simulator capping every app at 20 calls/s: aggregate recipients/s against apps x 400, and throttles.
//   quota    one send with the simulator flow-controlling 0%, 10%, 30% of users on each call, dingrelay at its
//            defaults: batchSend calls made (each spends monthly quota) against ⌈n/20⌉, and calls per recipient.
// Results: a table on stdout, JSON in tools/bench/results/<timestamp>.json, the processes' output in
// tools/bench/results/<timestamp>.log. The database (default dingrelay_bench) is dropped and recreated at the start of
// every run and left behind for inspection; each scenario gets emptied tables and its own Bull QUEUE_PREFIX.
// Never a test: nothing here is picked up by jest.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  deletePrefix,
  machineFacts,
  postgresFacts,
  recreateDatabase,
  redact,
  redisClient,
  redisFacts,
  resetTables,
  sweepStalePrefixes,
  withDatabase,
} from './lib/infra.mjs';
import { Child, killAllNow, runInherited, setOutputSink, stopAll } from './lib/processes.mjs';
import { details, fmt, summaryTable } from './lib/report.mjs';
import { CpuSampler, machineBusyShare, PgWaitSampler } from './lib/samplers.mjs';

/* global fetch */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS_DIR = join(ROOT, 'tools/bench/results');
const SCENARIOS = ['pacing', 'ceiling', 'accept', 'baseline', 'apps', 'quota'];
const APP = { appKey: 'dingrelay-dev-app', appSecret: 'dingrelay-dev-secret', robotCode: 'dingrelay-dev-robot' };
const QPS_CODE = 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';
const BATCH = 20; // DingTalk's userIds per batchSend call
const NOISY_CORES = 0.3; // CPU used by anything else during a measurement that makes it worth a warning
const MSG = { msgKey: 'sampleMarkdown', msgParam: { title: 'dingrelay benchmark', text: '## Benchmark\nThe same message for everyone.' } };

// ---------------------------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: node tools/bench/delivery.mjs [flags]

  --only <list>              scenarios to run, comma-separated: ${SCENARIOS.join(', ')} (default: all)
  --quick                    small sizes for a smoke run (pacing 1000, ceiling/baseline 5000, accept 10000,
                             concurrency 16, 1 worker)
  --recipients <n>           ceiling and baseline recipients (default 50000)
  --pacing-recipients <n>    pacing recipients (default 10000)
  --accept-recipients <n>    recipients of the timed POST (default 100000)
  --accept-repeats <n>       timed POSTs, the median is reported (default 3)
  --concurrency <list>       WORKER_CONCURRENCY values for the ceiling, comma-separated (default 16,64)
  --workers <list>           worker process counts for the ceiling, comma-separated (default 1,2)
  --sends <n>                split the ceiling's recipients over n sends POSTed at once (default 1: one send)
  --pool-size <n>            DATABASE_POOL_SIZE of each ceiling worker (default: the app's default, 10)
  --ceiling-calls-per-second <n>  DINGTALK_CALLS_PER_SECOND for the ceiling (default 1000, the config's maximum;
                             utilization 1)
  --worker-pg-options=<s>    diagnostics: Postgres session options for the ceiling's workers, e.g.
                             --worker-pg-options="-c synchronous_commit=off" (options= in their DATABASE_URL)
  --sim-qps <n>              the simulator's qpsLimitPerApp in the pacing scenario (default 20)
  --pace-utilization <list>  DINGTALK_PACE_UTILIZATION values for the pacing scenario, comma-separated, each in
                             (0, 1] (default: the app's default only)
  --apps <n>                 chat configurations (each its own simulator app) in the apps scenario (default 20)
  --apps-recipients <n>      recipients per configuration in the apps scenario (default 4000)
  --apps-concurrency <n>     WORKER_CONCURRENCY in the apps scenario (default 64); it runs with each --workers count
  --quota-recipients <n>     recipients of each quota run (default 4000)
  --flow-control <list>      percentages of users the simulator flow-controls per call in the quota scenario,
                             comma-separated (default 0,10,30)
  --baseline-loops <n>       concurrent SDK loops of the second baseline variant (default 8)
  --latency-ms <n>           simulator answer latency for ceiling AND baseline (default 0: none for either)
  --timeout <seconds>        give up on one delivery scenario after this long (default 900)
  --stall <seconds>          ... or when no recipient became terminal for this long (default 60)
  --wait-quiet <seconds>     before each measurement, wait up to this long for the machine to be under 25% busy
                             (for shared machines; default 0: don't wait)
  --database <name>          benchmark database, dropped and recreated (default dingrelay_bench)
  --no-build                 skip npm run build (apps/*/dist must be current)
  --help
Environment: DATABASE_URL (its server is used; the database name is replaced), REDIS_URL.`;

const FLAGS = {
  only: { type: 'string', multiple: true },
  quick: { type: 'boolean', default: false },
  recipients: { type: 'string' },
  'pacing-recipients': { type: 'string' },
  'accept-recipients': { type: 'string' },
  'accept-repeats': { type: 'string' },
  concurrency: { type: 'string' },
  workers: { type: 'string' },
  'pool-size': { type: 'string' },
  sends: { type: 'string' },
  'worker-pg-options': { type: 'string' },
  'ceiling-calls-per-second': { type: 'string' },
  'sim-qps': { type: 'string' },
  'quota-recipients': { type: 'string' },
  apps: { type: 'string' },
  'apps-recipients': { type: 'string' },
  'apps-concurrency': { type: 'string' },
  'pace-utilization': { type: 'string' },
  'flow-control': { type: 'string' },
  'baseline-loops': { type: 'string' },
  'latency-ms': { type: 'string' },
  timeout: { type: 'string' },
  stall: { type: 'string' },
  'wait-quiet': { type: 'string' },
  database: { type: 'string', default: 'dingrelay_bench' },
  'no-build': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
};

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const q = values.quick;
  const int = (name, fallback, min = 1) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${raw}`);
    return n;
  };
  const list = (name, fallback) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const items = raw.split(',').map((s) => Number(s.trim()));
    if (items.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(`--${name} must be positive integers, got ${raw}`);
    return items;
  };
  const only = (values.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const s of only) if (!SCENARIOS.includes(s)) throw new UsageError(`--only: unknown scenario ${s} (${SCENARIOS.join(', ')})`);
  return {
    scenarios: only.length ? SCENARIOS.filter((s) => only.includes(s)) : SCENARIOS,
    quick: q,
    recipients: int('recipients', q ? 5_000 : 50_000),
    pacingRecipients: int('pacing-recipients', q ? 1_000 : 10_000),
    acceptRecipients: int('accept-recipients', q ? 10_000 : 100_000),
    acceptRepeats: int('accept-repeats', 3),
    concurrency: list('concurrency', q ? [16] : [16, 64]),
    workers: list('workers', q ? [1] : [1, 2]),
    sends: int('sends', 1),
    workerPgOptions: values['worker-pg-options'],
    poolSize: values['pool-size'] === undefined ? undefined : int('pool-size', undefined),
    ceilingCallsPerSecond: int('ceiling-calls-per-second', 1000),
    simQps: int('sim-qps', 20),
    quotaRecipients: int('quota-recipients', q ? 1_000 : 4_000),
    apps: int('apps', q ? 4 : 20),
    appsRecipients: int('apps-recipients', q ? 1_000 : 4_000),
    appsConcurrency: int('apps-concurrency', 64),
    paceUtilizations: utilizationList(values['pace-utilization']),
    flowControlPercents: percentList(values['flow-control'], [0, 10, 30]),
    baselineLoops: int('baseline-loops', 8),
    latencyMs: int('latency-ms', 0, 0),
    timeoutMs: int('timeout', 900) * 1000,
    stallMs: int('stall', 60) * 1000,
    waitQuietMs: int('wait-quiet', 0, 0) * 1000,
    database: values.database,
    build: !values['no-build'],
  };
}

class UsageError extends Error {}

/** Undefined entries mean the app's default (nothing set). */
function utilizationList(raw) {
  if (raw === undefined) return [undefined];
  const items = raw.split(',').map((s) => Number(s.trim()));
  if (items.some((n) => !Number.isFinite(n) || n <= 0 || n > 1)) throw new UsageError(`--pace-utilization must be in (0, 1], got ${raw}`);
  return items;
}

function percentList(raw, fallback) {
  if (raw === undefined) return fallback;
  const items = raw.split(',').map((s) => Number(s.trim()));
  if (items.some((n) => !Number.isFinite(n) || n < 0 || n >= 100)) {
    throw new UsageError(`--flow-control must be percentages from 0 to under 100, got ${raw}`);
  }
  return items;
}

// Before anything is created, so --help and bad flags leave nothing behind.
let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${HELP}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: everything started is stopped on the way out, whatever the way out is.

const runId = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(RESULTS_DIR, { recursive: true });
const logPath = join(RESULTS_DIR, `${runId}.log`);
const logStream = createWriteStream(logPath);
setOutputSink((name, line) => logStream.write(`${name.padEnd(8)} | ${line}\n`));

const say = (line) => {
  const text = `bench    | ${line}`;
  console.log(text);
  logStream.write(`${text}\n`);
};

const state = { pool: undefined, redis: undefined, prefixes: [], interrupted: false, cleaning: undefined };

function cleanup() {
  state.cleaning ??= (async () => {
    await stopAll(10_000);
    if (state.redis) {
      for (const prefix of state.prefixes) await deletePrefix(state.redis, prefix).catch(() => {});
      state.redis.disconnect();
    }
    await state.pool?.end().catch(() => {});
    await new Promise((r) => logStream.end(r));
  })();
  return state.cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (state.interrupted) {
      killAllNow();
      process.exit(130);
    }
    state.interrupted = true;
    console.error(`\nbench    | ${signal}: stopping every process started (again to force)…`);
    cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', killAllNow);

/**
 * With --wait-quiet: holds the next measurement until the machine is mostly idle (other people's test runs on a shared
 * box), up to the limit; the measurement's "anything else" CPU still says how quiet it really was.
 */
async function waitForQuietMachine(options) {
  if (!options.waitQuietMs) return;
  const deadline = Date.now() + options.waitQuietMs;
  let said = false;
  for (;;) {
    const busy = await machineBusyShare(2_000);
    if (busy === undefined || busy < 0.25) return;
    checkInterrupted();
    if (Date.now() > deadline) {
      say(`  the machine is still ${(busy * 100).toFixed(0)}% busy; measuring anyway`);
      return;
    }
    if (!said) say(`  waiting for a quiet machine (${(busy * 100).toFixed(0)}% busy)…`);
    said = true;
  }
}

function checkInterrupted() {
  if (state.interrupted) throw new Error('interrupted');
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/** Environment of the children: ours minus any dingrelay/simulator tuning, so "defaults" really are defaults. */
function baseEnv() {
  const env = { NO_COLOR: '1' };
  const tuning = /^(DINGTALK_|WORKER_|DATABASE_|DELIVERY_|FLOW_CONTROL_|RETRY_|RECONCILE_|API_|QUEUE_PREFIX$|REDIS_URL$|SIM_)/;
  for (const [k, v] of Object.entries(process.env)) if (!tuning.test(k)) env[k] = v;
  return env;
}

async function startSimulator(faults, extraConfig = {}) {
  const config = { ...(Object.keys(faults).length ? { faults } : {}), ...extraConfig };
  const sim = new Child('sim', process.execPath, [join(ROOT, 'apps/dingtalk-sim/dist/main.js')], {
    cwd: ROOT,
    env: { ...baseEnv(), SIM_PORT: '0', SIM_HOST: '127.0.0.1', SIM_CONFIG: JSON.stringify(config) },
    node: true,
  });
  const [, url] = await sim.waitForLine(/dingtalk-sim listening on (http:\/\/\S+)/, 30_000);
  return { child: sim, url };
}

const BENCH_SECRET_ENCRYPTION_KEYS = `bench:${randomBytes(32).toString('base64')}`;
// The run's database is new: the API stores this as its first admin key (the format of libs/domain's api-key-secret).
const BENCH_ADMIN_API_KEY = `drk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;

function appEnv(ctx, extra = {}) {
  return {
    ...baseEnv(),
    DATABASE_URL: ctx.databaseUrl,
    // A throwaway database the bench owns: the apps migrate it and run as its owner, a deliberate exception to the
    // runtime role production uses (the privileges change nothing the bench measures).
    DATABASE_MIGRATION_URL: ctx.databaseUrl,
    DATABASE_ALLOW_PRIVILEGED_ROLE: 'true',
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.prefix,
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    // Several workers run at once: each its own free ops port.
    WORKER_HTTP_HOST: '127.0.0.1',
    WORKER_HTTP_PORT: '0',
    DINGTALK_BASE_URL: ctx.simUrl ?? 'http://127.0.0.1:9',
    DINGTALK_APP_KEY: APP.appKey,
    DINGTALK_APP_SECRET: APP.appSecret,
    DINGTALK_ROBOT_CODE: APP.robotCode,
    // The run's database is new, so is its key: the apps store the default configuration's secret under it.
    SECRET_ENCRYPTION_KEYS: BENCH_SECRET_ENCRYPTION_KEYS,
    BOOTSTRAP_ADMIN_API_KEY: BENCH_ADMIN_API_KEY,
    // The per-key request limit is not what is measured.
    API_KEY_RATE_LIMIT_PER_SECOND: '100000',
    API_KEY_RATE_LIMIT_BURST: '100000',
    ...extra,
  };
}

async function startApi(ctx, extra) {
  const api = new Child('api', process.execPath, [join(ROOT, 'apps/api/dist/main.js')], { cwd: ROOT, env: appEnv(ctx, extra), node: true });
  const [, url] = await api.waitForLine(/dingrelay api listening on (http:\/\/[^\s/]+)/, 90_000);
  return { child: api, url: url.replace('[::1]', '127.0.0.1') };
}

async function startWorkers(ctx, count, extra) {
  const workers = Array.from(
    { length: count },
    (_, i) =>
      new Child(count > 1 ? `worker${i + 1}` : 'worker', process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], {
        cwd: ROOT,
        env: appEnv(ctx, extra),
        node: true,
      }),
  );
  await Promise.all(workers.map((w) => w.waitForLine(/dingrelay worker ready/, 90_000)));
  return workers;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers

async function httpJson(method, url, body, headers = {}) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

function userIds(n) {
  return Array.from({ length: n }, (_, i) => `user-${i + 1}`);
}

/** POST /v1/sends; the timer covers the HTTP round trip only (the body is serialised beforehand). */
async function postSend(apiUrl, body) {
  const started = performance.now();
  const res = await httpJson('POST', `${apiUrl}/v1/sends`, body, { authorization: `Bearer ${BENCH_ADMIN_API_KEY}` });
  const ms = performance.now() - started;
  const acceptedAt = Date.now();
  if (res.status !== 202) throw new Error(`POST /v1/sends answered ${res.status}: ${res.text.slice(0, 500)}`);
  return { send: res.json, ms, acceptedAt };
}

async function simStats(simUrl) {
  const res = await httpJson('GET', `${simUrl}/__sim/stats`);
  return res.json;
}

/** dingrelay's spacing between calls of one app under `env` (defaults: 20 calls/s x 0.9). */
function paceIntervalMs(env) {
  return 1000 / (Number(env.DINGTALK_CALLS_PER_SECOND ?? 20) * Number(env.DINGTALK_PACE_UTILIZATION ?? 0.9));
}

/** When the simulator accepted each batchSend call (throttled calls are not on the ledger), in ms since epoch. */
async function simCallTimes(simUrl) {
  const times = [];
  for (let offset = 0; ; offset += 100_000) {
    const res = await httpJson('GET', `${simUrl}/__sim/ledger/calls?offset=${offset}&limit=100000`);
    for (const c of res.json.calls) times.push(Date.parse(c.acceptedAt));
    if (offset + res.json.calls.length >= res.json.total || res.json.calls.length === 0) break;
  }
  return times.sort((a, b) => a - b);
}

/**
 * How evenly the accepted calls were spread: gaps between consecutive calls (median, 1st percentile), the most calls
 * in any 1 s window, and how many calls each of the first seconds after the 202 saw.
 */
function callSpacing(times, acceptedAt, paceIntervalMs) {
  if (times.length < 2) return undefined;
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const pct = (p) => gaps[Math.min(gaps.length - 1, Math.floor((p / 100) * gaps.length))];
  let maxInWindow = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    maxInWindow = Math.max(maxInWindow, i - j + 1);
  }
  const perSecond = [];
  for (const t of times) {
    const s = Math.floor((t - acceptedAt) / 1000);
    if (s >= 0 && s < 5) perSecond[s] = (perSecond[s] ?? 0) + 1;
  }
  return {
    calls: times.length,
    gapMsP1: pct(1),
    gapMsMedian: pct(50),
    maxCallsIn1s: maxInWindow,
    firstSecondsCalls: Array.from({ length: 5 }, (_, i) => perSecond[i] ?? 0),
    firstCallAfterAcceptMs: times[0] - acceptedAt,
    /** The first 40 calls, in ms after the 202: where bursts show up. */
    firstCallsMs: times.slice(0, 40).map((t) => t - acceptedAt),
    paceIntervalMs: paceIntervalMs === undefined ? undefined : +paceIntervalMs.toFixed(1),
    gapsUnderHalfInterval: paceIntervalMs === undefined ? undefined : gaps.filter((g) => g < paceIntervalMs / 2).length,
  };
}

async function simLedgerSummary(simUrl) {
  const res = await httpJson('GET', `${simUrl}/__sim/ledger/summary`);
  return res.json;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

/**
 * Waits until Postgres says every send is complete (`completed_at`, stamped by the settlement that leaves no recipient
 * of the send pending) and returns the last such moment. Progress is printed every 5 s; a run where nothing became
 * terminal for `stallMs` is given up with the workers' last lines (a wedged pipeline should not take the timeout).
 */
async function waitUntilTerminal(pool, sendIds, { acceptedAt, recipients, timeoutMs, stallMs, children }) {
  const deadline = Date.now() + timeoutMs;
  let nextReport = Date.now() + 5_000;
  let lastDone = -1;
  let lastChange = Date.now();
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*) FILTER (WHERE completed_at IS NULL)::int AS open, max(completed_at) AS last
         FROM sends WHERE id = ANY($1)`,
      [sendIds],
    );
    if (rows[0].open === 0) return rows[0].last.getTime();
    checkInterrupted();
    const dead = children.find((c) => !c.running);
    if (dead) throw new Error(`${dead.name} exited during the measurement:\n${dead.tail()}`);
    if (Date.now() > deadline) throw new Error(`not complete after ${timeoutMs / 1000}s`);
    if (Date.now() >= nextReport) {
      nextReport += 5_000;
      const { rows: p } = await pool.query(
        `SELECT count(*)::int AS pending FROM recipients WHERE send_id = ANY($1) AND status = 'pending'`,
        [sendIds],
      );
      const done = recipients - p[0].pending;
      const secs = (Date.now() - acceptedAt) / 1000;
      say(`  … ${fmt.int(done)}/${fmt.int(recipients)} terminal after ${secs.toFixed(0)}s (${fmt.int(done / secs)}/s)`);
      if (done !== lastDone) {
        lastDone = done;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) {
        const tails = children.filter((c) => c.name.startsWith('worker')).map((c) => `--- ${c.name}:\n${c.tail(15)}`);
        throw new Error(`stalled: ${fmt.int(done)}/${fmt.int(recipients)} terminal and no progress for ${stallMs / 1000}s\n${tails.join('\n')}`);
      }
    }
    await sleep(50);
  }
}

/**
 * The applied migrations and the tables: compared before and after each scenario, so a schema changed under the
 * benchmark (someone else migrating or reverting the same database) fails the run instead of skewing it.
 */
async function schemaFingerprint(pool) {
  const { rows } = await pool.query(
    `SELECT (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public') AS tables,
            (SELECT string_agg(name, ',' ORDER BY id) FROM migrations) AS migrations`,
  );
  return `${rows[0].migrations} | ${rows[0].tables}`;
}

async function checkSchema(ctx, when) {
  const now = await schemaFingerprint(state.pool);
  ctx.schema ??= now;
  if (now !== ctx.schema) {
    throw new Error(
      `the schema of ${ctx.database} changed ${when} (is someone else using this database? try --database <other>):\n` +
        `  was: ${ctx.schema}\n  now: ${now}`,
    );
  }
}

async function sendOutcome(pool, sendIds) {
  const { rows: statuses } = await pool.query(
    `SELECT status, count(*)::int AS n FROM recipients WHERE send_id = ANY($1) GROUP BY status ORDER BY status`,
    [sendIds],
  );
  const { rows: batches } = await pool.query(
    `SELECT count(*)::int AS batches, sum(attempts)::int AS attempts, sum(throttled_attempts)::int AS throttled
       FROM batches WHERE send_id = ANY($1)`,
    [sendIds],
  );
  return { statuses: Object.fromEntries(statuses.map((r) => [r.status, r.n])), ...batches[0] };
}

/**
 * One delivery measurement: fresh tables, simulator, API and workers; one POST (or `sends` concurrent POSTs sharing
 * the recipients); wait until every recipient is terminal in Postgres; collect what the simulator saw and where the
 * CPU went; stop everything. The clock starts at the first 202.
 */
async function deliveryRun(
  ctx,
  {
    key,
    label,
    recipients,
    faults,
    simConfig = {},
    dingrelayEnv,
    workerEnv = dingrelayEnv,
    workerCount,
    sends = 1,
    /** Run once the API is up, before anything is measured (e.g. creating chat configurations). */
    prepare = async () => {},
    /** Fields added to the i-th send's body (e.g. its chatConfiguration). */
    sendFields = () => ({}),
  },
) {
  const prefix = `bench-${runId}-${key}`.replace(/[^A-Za-z0-9:_-]/g, '-').slice(0, 64);
  state.prefixes.push(prefix);
  await resetTables(state.pool);
  const sim = await startSimulator(faults, simConfig);
  const c = { ...ctx, prefix, simUrl: sim.url };
  const started = [sim.child];
  try {
    const api = await startApi(c, dingrelayEnv);
    started.push(api.child);
    const workers = await startWorkers(c, workerCount, workerEnv);
    started.push(...workers);
    await checkSchema(ctx, 'before this scenario');
    await prepare(api.url);
    checkInterrupted();
    // When the workers were told to back off: the worker logs each throttled call as it handles it.
    const throttledAt = [];
    for (const w of workers) w.onLine((line) => /qps-throttle/.test(line) && throttledAt.push(Date.now()));

    const users = userIds(recipients);
    const per = Math.ceil(recipients / sends);
    const bodies = Array.from({ length: sends }, (_, i) =>
      JSON.stringify({ userIds: users.slice(i * per, (i + 1) * per), ...MSG, ...sendFields(i) }),
    );
    await waitForQuietMachine(ctx.options);
    const cpu = new CpuSampler({ children: () => started, pool: state.pool, database: ctx.database, redisPid: ctx.redisPid });
    const waits = new PgWaitSampler(state.pool, ctx.database);
    await cpu.start();
    waits.start();
    const posts = await Promise.all(bodies.map((body) => postSend(api.url, body)));
    const post = {
      ms: Math.max(...posts.map((p) => p.ms)),
      acceptedAt: Math.min(...posts.map((p) => p.acceptedAt)),
      accepted: posts.reduce((n, p) => n + p.send.recipients.accepted, 0),
      batches: posts.reduce((n, p) => n + p.send.batches, 0),
    };
    const sendIds = posts.map((p) => p.send.id);
    say(
      `  accepted ${fmt.int(post.accepted)} recipients in ${post.batches} batches` +
        `${sends > 1 ? `, ${sends} sends` : ''} (POST ${fmt.int(post.ms)} ms)`,
    );
    const completedAt = await waitUntilTerminal(state.pool, sendIds, {
      acceptedAt: post.acceptedAt,
      recipients,
      timeoutMs: ctx.options.timeoutMs,
      stallMs: ctx.options.stallMs,
      children: started,
    });
    const cpuUsed = await cpu.stop();
    const pgWaits = waits.stop();
    await checkSchema(ctx, 'during this scenario');
    const seconds = Math.max(0.001, (completedAt - post.acceptedAt) / 1000);
    const stats = await simStats(sim.url);
    const ledger = await simLedgerSummary(sim.url);
    const outcome = await sendOutcome(state.pool, sendIds);
    const calls = await simCallTimes(sim.url);
    return {
      key,
      label,
      recipients,
      seconds,
      recipientsPerSecond: recipients / seconds,
      postMs: post.ms,
      secondsIncludingPost: seconds + post.ms / 1000,
      throttles: stats.errorsByCode?.[QPS_CODE] ?? 0,
      sim: {
        batchSendCalls: stats.batchSend.calls,
        batchSendSucceeded: stats.batchSend.succeeded,
        delivered: stats.batchSend.delivered,
        errorsByCode: stats.errorsByCode,
        peakBatchSendPerSecond: stats.peakBatchSendPerSecondByApp?.[APP.appKey],
        peakBatchSendPerSecondByApp: stats.peakBatchSendPerSecondByApp,
        peakInFlight: stats.peakInFlight,
        tokensIssued: stats.accessToken.issued,
        duplicateDeliveries: ledger.duplicateDeliveries,
        distinctUsers: ledger.distinctUsers,
      },
      callsPerSecond: stats.batchSend.calls / seconds,
      succeededCallsPerSecond: stats.batchSend.succeeded / seconds,
      outcome,
      callSpacing: callSpacing(calls, post.acceptedAt, paceIntervalMs(dingrelayEnv)),
      throttlesSecondsAfterAccept: throttledAt.map((t) => +((t - post.acceptedAt) / 1000).toFixed(2)),
      cpu: cpuUsed,
      pgWaits,
      settings: { workers: workerCount, sends, simulatorFaults: faults, simConfig, env: dingrelayEnv, workerEnv: redactEnv(workerEnv) },
    };
  } finally {
    await Promise.all(started.filter((p) => p !== sim.child).map((p) => p.stop()));
    await sim.child.stop();
    await deletePrefix(state.redis, prefix).catch(() => {});
  }
}

async function pacingScenario(ctx) {
  const results = [];
  for (const utilization of ctx.options.paceUtilizations) {
    checkInterrupted();
    results.push(await pacingRun(ctx, utilization));
  }
  return results;
}

async function pacingRun(ctx, utilization) {
  const { pacingRecipients: n, simQps } = ctx.options;
  const calls = Math.ceil(n / BATCH);
  const idealSeconds = calls / simQps;
  const paced = utilization === undefined ? 'defaults' : `utilization ${utilization}`;
  say(`pacing: ${fmt.int(n)} recipients, simulator capped at ${simQps} calls/s, dingrelay at ${paced} (1 worker)`);
  const r = await deliveryRun(ctx, {
    key: utilization === undefined ? 'pacing' : `pacing-u${utilization}`,
    label: `pacing (sim ${simQps}/s, ${paced})`,
    recipients: n,
    faults: { qpsLimitPerApp: simQps },
    dingrelayEnv: utilization === undefined ? {} : { DINGTALK_PACE_UTILIZATION: String(utilization) },
    workerCount: 1,
  });
  r.idealSeconds = idealSeconds;
  r.notes = [
    `ideal ${fmt.s(idealSeconds)} s (${fmt.int(simQps * BATCH)}/s) → ${((idealSeconds / r.seconds) * 100).toFixed(0)}% of ideal`,
    `${r.succeededCallsPerSecond.toFixed(1)} calls/s ok (${r.sim.batchSendCalls} calls)`,
    `sim peak ${r.sim.peakBatchSendPerSecond}/s in 1 s`,
    `${statusSummary(r.outcome.statuses)}`,
  ];
  const sp = r.callSpacing;
  r.extra = [
    sp &&
      `accepted calls: gap median ${sp.gapMsMedian} ms (pace ${sp.paceIntervalMs} ms), 1st percentile ${sp.gapMsP1} ms, ` +
        `${sp.gapsUnderHalfInterval} gaps under half the pace; at most ${sp.maxCallsIn1s} in any 1 s; first call ` +
        `${sp.firstCallAfterAcceptMs} ms after the 202; per second after the 202: ${sp.firstSecondsCalls.join(', ')}, …`,
    r.throttles > 0 && `throttled calls handled at ${summarizeTimes(r.throttlesSecondsAfterAccept)} s after the 202`,
  ].filter(Boolean);
  return r;
}

async function ceilingScenario(ctx) {
  const { recipients: n, concurrency, workers, poolSize, ceilingCallsPerSecond, latencyMs, sends, workerPgOptions } = ctx.options;
  const results = [];
  for (const w of workers) {
    for (const c of concurrency) {
      checkInterrupted();
      const env = {
        DINGTALK_CALLS_PER_SECOND: String(ceilingCallsPerSecond),
        DINGTALK_PACE_UTILIZATION: '1',
        WORKER_CONCURRENCY: String(c),
        ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
      };
      const workerEnv = workerPgOptions
        ? { ...env, DATABASE_URL: withQuery(ctx.databaseUrl, 'options', workerPgOptions) }
        : env;
      const label = `ceiling c=${c} x${w} worker${w > 1 ? 's' : ''}${sends > 1 ? `, ${sends} sends` : ''}`;
      say(`${label}: ${fmt.int(n)} recipients, simulator uncapped${latencyMs ? ` (+${latencyMs} ms)` : ''}`);
      let r;
      try {
        r = await deliveryRun(ctx, {
          key: `ceiling-c${c}-w${w}`,
          label,
          recipients: n,
          faults: latencyMs ? { latencyMs } : {},
          dingrelayEnv: env,
          workerEnv,
          workerCount: w,
          sends,
        });
      } catch (error) {
        if (state.interrupted) throw error;
        say(`  FAILED: ${error.message.split('\n')[0]}`);
        results.push({ key: `ceiling-c${c}-w${w}`, label, recipients: n, error: error.message, settings: { workers: w, env } });
        continue;
      }
      r.notes = [
        `${fmt.int(r.succeededCallsPerSecond)} calls/s`,
        `POST ${fmt.s(r.postMs / 1000)} s (incl. POST ${fmt.int(n / r.secondsIncludingPost)}/s)`,
        `sim peak ${r.sim.peakBatchSendPerSecond}/s`,
        statusSummary(r.outcome.statuses),
      ];
      say(`  ${fmt.int(r.recipientsPerSecond)} recipients/s (${fmt.s(r.seconds)} s)`);
      results.push(r);
    }
  }
  return results;
}

/**
 * The i-th app of the apps scenario: a simulator app and the chat configuration dingrelay sends through it with
 * (named per run: configurations outlive a scenario's emptied tables).
 */
function benchApp(i, run) {
  return { name: `bench-${run}-app-${i + 1}`, appKey: `bench-app-${i + 1}`, appSecret: `bench-secret-${i + 1}`, robotCode: `bench-robot-${i + 1}` };
}

/**
 * Many apps at once: `apps` sends POSTed together, each through its own chat configuration and DingTalk app, every app
 * capped by the simulator at 20 calls/s (as DingTalk does). One app can take at most 400 recipients/s, so the
 * aggregate is measured against apps x 400/s; dingrelay's pace (DINGTALK_PACE_UTILIZATION, default 0.9) caps it at 90%.
 */
async function appsScenario(ctx) {
  const { apps: k, appsRecipients: perApp, appsConcurrency, workers, simQps } = ctx.options;
  const results = [];
  for (const w of workers) {
    checkInterrupted();
    const apps = Array.from({ length: k }, (_, i) => benchApp(i, `w${w}`));
    const label = `apps (${k} apps x sim ${simQps}/s, c=${appsConcurrency} x${w} worker${w > 1 ? 's' : ''})`;
    say(`${label}: ${fmt.int(k * perApp)} recipients, ${fmt.int(perApp)} per app`);
    const env = { WORKER_CONCURRENCY: String(appsConcurrency) };
    const r = await deliveryRun(ctx, {
      key: `apps-w${w}`,
      label,
      recipients: k * perApp,
      faults: { qpsLimitPerApp: simQps },
      simConfig: { apps: [APP, ...apps.map(({ appKey, appSecret, robotCode }) => ({ appKey, appSecret, robotCode }))] },
      dingrelayEnv: env,
      workerCount: w,
      sends: k,
      prepare: (apiUrl) => createChatConfigurations(apiUrl, apps),
      sendFields: (i) => ({ chatConfiguration: apps[i].name }),
    });
    const ideal = k * simQps * BATCH;
    const peaks = Object.entries(r.sim.peakBatchSendPerSecondByApp ?? {}).filter(([app]) => app !== APP.appKey).map(([, n]) => n);
    r.apps = { count: k, idealRecipientsPerSecond: ideal, share: r.recipientsPerSecond / ideal };
    r.notes = [
      `${((r.recipientsPerSecond / ideal) * 100).toFixed(0)}% of ${k} x ${simQps * BATCH}/s (${fmt.int(ideal)}/s)`,
      `${fmt.int(r.succeededCallsPerSecond)} calls/s ok`,
      `busiest app's peak ${Math.max(0, ...peaks)}/s in 1 s`,
      statusSummary(r.outcome.statuses),
    ];
    say(`  ${fmt.int(r.recipientsPerSecond)} recipients/s (${fmt.s(r.seconds)} s), ${r.throttles} throttled`);
    results.push(r);
  }
  return results;
}

async function createChatConfigurations(apiUrl, apps) {
  for (const app of apps) {
    const res = await httpJson(
      'POST',
      `${apiUrl}/v1/chat-configurations`,
      JSON.stringify({
        name: app.name,
        type: 'DingTalk',
        configuration: { clientId: app.appKey, clientSecret: app.appSecret, robotCode: app.robotCode },
      }),
      { authorization: `Bearer ${BENCH_ADMIN_API_KEY}` },
    );
    if (res.status !== 201) throw new Error(`POST /v1/chat-configurations ${app.name} answered ${res.status}: ${res.text.slice(0, 300)}`);
  }
}

/**
 * What a send costs in DingTalk's monthly call quota when DingTalk flow-controls some users: every flow-controlled
 * user must be re-sent, and each call counts whatever its size. Ideal is ⌈n/20⌉ calls plus ⌈re-sends/20⌉ per round.
 */
async function quotaScenario(ctx) {
  const { quotaRecipients: n, flowControlPercents } = ctx.options;
  const results = [];
  for (const percent of flowControlPercents) {
    checkInterrupted();
    const label = `quota (${percent}% flow-controlled)`;
    say(`${label}: ${fmt.int(n)} recipients, the simulator flow-controls each user with probability ${percent / 100} per call`);
    const r = await deliveryRun(ctx, {
      key: `quota-${percent}`,
      label,
      recipients: n,
      faults: {},
      simConfig: { flowControl: { rate: percent / 100 } },
      dingrelayEnv: {},
      workerCount: 1,
    });
    const minimumCalls = Math.ceil(n / BATCH);
    const calls = r.sim.batchSendCalls;
    const attempts = await recipientAttempts(state.pool);
    r.quota = {
      flowControlPercent: percent,
      calls,
      minimumCalls,
      callsOverMinimum: calls / minimumCalls,
      callsPerRecipient: calls / n,
      flowControlledUsers: attempts.flowControlledUsers,
      usersNamedInCalls: attempts.usersNamedInCalls,
      recipientAttempts: attempts.recipientAttempts,
    };
    r.notes = [
      `${fmt.int(calls)} calls = ${(calls / minimumCalls).toFixed(3)} × ⌈n/20⌉ (${minimumCalls})`,
      `${(calls / n).toFixed(4)} calls/recipient`,
      `${fmt.int(attempts.flowControlledUsers)} users flow-controlled at least once`,
      statusSummary(r.outcome.statuses),
    ];
    r.extra = [
      `users named in calls ${fmt.int(attempts.usersNamedInCalls)}, attempts counted on recipients ${fmt.int(attempts.recipientAttempts)}` +
        (attempts.usersNamedInCalls === attempts.recipientAttempts ? ' (equal: every attempt is on its user)' : ' (DIFFER)'),
    ];
    say(`  ${calls} calls (${(calls / minimumCalls).toFixed(3)} × ${minimumCalls})`);
    results.push(r);
  }
  return results;
}

/** Each call's users (batches' user_ids × their calls) against the attempts the recipients record. */
async function recipientAttempts(pool) {
  const { rows: [row] } = await pool.query(
    `SELECT (SELECT coalesce(sum(cardinality(user_ids) * attempts), 0)::int FROM batches) AS users_named_in_calls,
            (SELECT coalesce(sum(attempts), 0)::int FROM recipients) AS recipient_attempts,
            (SELECT count(*)::int FROM recipients WHERE flow_controlled > 0) AS flow_controlled_users`,
  );
  return {
    usersNamedInCalls: row.users_named_in_calls,
    recipientAttempts: row.recipient_attempts,
    flowControlledUsers: row.flow_controlled_users,
  };
}

async function acceptScenario(ctx) {
  const { acceptRecipients: n, acceptRepeats } = ctx.options;
  say(`accept: POST /v1/sends with ${fmt.int(n)} recipients, ${acceptRepeats} times (API only, no workers)`);
  const prefix = `bench-${runId}-accept`;
  state.prefixes.push(prefix);
  await resetTables(state.pool);
  const c = { ...ctx, prefix };
  const api = await startApi(c, {});
  try {
    await checkSchema(ctx, 'before this scenario');
    const body = JSON.stringify({ userIds: userIds(n), ...MSG });
    // One small send first, so the timed ones don't pay for the first connection and the first compilation.
    await postSend(api.url, JSON.stringify({ userIds: userIds(10), ...MSG }));
    const runs = [];
    for (let i = 0; i < acceptRepeats; i++) {
      checkInterrupted();
      await resetTables(state.pool);
      await waitForQuietMachine(ctx.options);
      const cpu = new CpuSampler({ children: () => [api.child], pool: state.pool, database: ctx.database, redisPid: ctx.redisPid });
      await cpu.start();
      const post = await postSend(api.url, body);
      const cpuUsed = await cpu.stop();
      say(`  #${i + 1}: ${fmt.int(post.ms)} ms (${post.send.batches} batches)`);
      runs.push({ ms: post.ms, batches: post.send.batches, enqueued: post.send.enqueued, cpu: cpuUsed });
      if (!api.child.running) throw new Error(`the API exited:\n${api.child.tail()}`);
    }
    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      key: 'accept',
      label: `accept (POST ${fmt.int(n)})`,
      recipients: n,
      seconds: median.ms / 1000,
      recipientsPerSecond: n / (median.ms / 1000),
      bodyBytes: Buffer.byteLength(body),
      runs,
      cpu: median.cpu,
      notes: [
        `median of ${runs.length}: ${runs.map((r) => `${fmt.int(r.ms)}`).join(', ')} ms`,
        `body ${(Buffer.byteLength(body) / 1e6).toFixed(2)} MB`,
        `${median.batches} jobs enqueued in the request`,
      ],
      settings: { env: {} },
    };
  } finally {
    await api.child.stop();
    await deletePrefix(state.redis, prefix).catch(() => {});
  }
}

async function baselineScenario(ctx) {
  const { recipients: n, baselineLoops, latencyMs } = ctx.options;
  const results = [];
  for (const loops of [1, baselineLoops]) {
    checkInterrupted();
    const label = loops === 1 ? 'baseline SDK, sequential' : `baseline SDK, ${loops} loops`;
    say(`${label}: ${fmt.int(n)} recipients, simulator uncapped${latencyMs ? ` (+${latencyMs} ms)` : ''}`);
    const sim = await startSimulator(latencyMs ? { latencyMs } : {});
    await waitForQuietMachine(ctx.options);
    let sdk;
    try {
      sdk = new Child(
        'sdk',
        process.execPath,
        [join(ROOT, 'tools/bench/lib/sdk-baseline.mjs'), '--url', sim.url, '--recipients', String(n), '--loops', String(loops)],
        { cwd: ROOT, env: baseEnv() },
      );
      const cpu = new CpuSampler({ children: () => [sim.child, sdk] });
      await sdk.waitForLine(/^ready$/, 60_000);
      await cpu.start();
      const [line] = await sdk.waitForLine(/^\{.*\}$/, ctx.options.timeoutMs);
      const cpuUsed = await cpu.stop();
      const exit = await sdk.exited;
      if (exit.code !== 0) throw new Error(`the SDK baseline exited with ${exit.code}:\n${sdk.tail()}`);
      const out = JSON.parse(line);
      const stats = await simStats(sim.url);
      const errors = Object.values(out.errors).reduce((a, b) => a + b, 0);
      await sdk.stop();
      results.push({
        key: loops === 1 ? 'baseline-sequential' : `baseline-${loops}-loops`,
        label,
        recipients: n,
        seconds: out.seconds,
        recipientsPerSecond: n / out.seconds,
        throttles: stats.errorsByCode?.[QPS_CODE] ?? 0,
        sdk: out,
        sim: { batchSendCalls: stats.batchSend.calls, delivered: stats.batchSend.delivered, errorsByCode: stats.errorsByCode },
        cpu: cpuUsed,
        notes: [
          `${fmt.int(out.calls / out.seconds)} calls/s`,
          `${fmt.int(stats.batchSend.delivered)} delivered, ${errors} errors`,
          'no persistence, no retries',
        ],
        settings: { loops },
      });
      say(`  ${fmt.int(n / out.seconds)} recipients/s (${fmt.s(out.seconds)} s)`);
    } finally {
      await sdk?.stop();
      await sim.child.stop();
    }
  }
  return results;
}

function withQuery(url, key, value) {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

function redactEnv(env) {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, k === 'DATABASE_URL' ? redact(v) : v]));
}

function summarizeTimes(seconds) {
  if (seconds.length === 0) return '–';
  const sorted = [...seconds].sort((a, b) => a - b);
  return sorted.length <= 6 ? sorted.join(', ') : `${sorted.slice(0, 3).join(', ')} … ${sorted.slice(-2).join(', ')}`;
}

function statusSummary(statuses) {
  return Object.entries(statuses)
    .map(([k, v]) => `${fmt.int(v)} ${k}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const databaseUrl = withDatabase(serverUrl, options.database);

  if (options.build) {
    say('building (npm run build)…');
    const code = await runInherited('npm', ['run', 'build'], { cwd: ROOT, env: process.env });
    if (code !== 0) throw new Error(`npm run build exited with ${code}`);
  }
  checkInterrupted();

  say(`Postgres: recreating ${redact(databaseUrl)}`);
  await recreateDatabase(serverUrl, options.database);
  state.pool = new pg.Pool({ connectionString: databaseUrl, max: 3, application_name: 'dingrelay-bench' });
  state.pool.on('error', () => {});
  state.redis = redisClient(redisUrl);
  await state.redis.connect();
  const redis = await redisFacts(state.redis);
  say(`Redis: ${redact(redisUrl)} (${redis.version})`);
  const swept = await sweepStalePrefixes(state.redis, 3 * 3600_000);
  if (swept) say(`Redis: deleted the keys of ${swept} scenario(s) of killed runs older than 3 h`);

  const ctx = { options, databaseUrl, redisUrl, database: options.database, redisPid: redis.pid };
  const results = [];

  // The first process to start applies the migrations; tables exist from then on.
  const run = { pacing: pacingScenario, ceiling: ceilingScenario, accept: acceptScenario, baseline: baselineScenario, apps: appsScenario, quota: quotaScenario };
  for (const scenario of options.scenarios) {
    checkInterrupted();
    try {
      results.push(...[await run[scenario](ctx)].flat());
    } catch (error) {
      // One scenario failing (a stall, a dead process) still leaves the others' numbers worth reporting.
      if (state.interrupted) throw error;
      say(`${scenario} FAILED: ${error.message}`);
      results.push({ key: scenario, label: scenario, error: error.message, notes: [] });
      await stopAll();
    }
  }

  const ceiling = results.filter((r) => r.key.startsWith('ceiling') && !r.error);
  const best = ceiling.sort((a, b) => b.recipientsPerSecond - a.recipientsPerSecond)[0];
  const ratios = {};
  if (best) {
    for (const b of results.filter((r) => r.key.startsWith('baseline'))) {
      ratios[`${best.label} / ${b.label}`] = +(best.recipientsPerSecond / b.recipientsPerSecond).toFixed(2);
    }
  }

  const ordered = options.scenarios.flatMap((s) => results.filter((r) => r.key.startsWith(s)));
  // A shared machine: say so where other processes took a noticeable share of the CPU during a measurement.
  const noisy = ordered.filter((r) => (r.cpu?.otherCores ?? 0) >= NOISY_CORES);
  for (const r of noisy) r.notes.push(`OTHER LOAD ${r.cpu.otherCores.toFixed(1)} cores`);
  const machine = machineFacts();
  const postgres = await postgresFacts(state.pool);
  const output = {
    runId,
    command: `node tools/bench/delivery.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    postgres: { url: redact(databaseUrl), ...postgres },
    redis: { url: redact(redisUrl), version: redis.version },
    options,
    results,
    ratios,
  };
  const jsonPath = join(RESULTS_DIR, `${runId}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(output, null, 2)}\n`);

  console.log('');
  console.log(summaryTable(ordered));
  console.log('');
  for (const [k, v] of Object.entries(ratios)) console.log(`ratio ${k}: ${v.toFixed(2)}x`);
  console.log('');
  console.log(
    `machine: ${machine.cpus} x ${machine.cpuModel}${machine.cpuMHz ? ` @ ${machine.cpuMHz} MHz` : ''}, ${machine.memoryGiB} GiB RAM, ` +
      `${machine.os}, Node ${machine.node}, load average ${machine.loadAverage1m} at the end`,
  );
  console.log(
    `postgres ${postgres.server_version} (shared_buffers ${postgres.shared_buffers}, synchronous_commit ${postgres.synchronous_commit}, ` +
      `fsync ${postgres.fsync}); redis ${redis.version}; all on this machine`,
  );
  console.log(settingsLine(options));
  console.log('');
  console.log(details(ordered));
  console.log('');
  if (noisy.length) {
    console.log(
      `warning: other processes used >= ${NOISY_CORES} cores during ${noisy.map((r) => r.label).join('; ')}; ` +
        'those numbers are low — run again on a quiet machine',
    );
  }
  console.log(`results: ${relative(process.cwd(), jsonPath)}   process output: ${relative(process.cwd(), logPath)}`);
}

function settingsLine(o) {
  return [
    `settings: pacing = DINGTALK_CALLS_PER_SECOND 20 x DINGTALK_PACE_UTILIZATION ${o.paceUtilizations.map((u) => u ?? '0.9 (default)').join('/')}, WORKER_CONCURRENCY 8, 1 worker, sim qpsLimitPerApp ${o.simQps}`,
    `          ceiling = DINGTALK_CALLS_PER_SECOND ${o.ceilingCallsPerSecond} x 1, WORKER_CONCURRENCY ${o.concurrency.join('/')}, ` +
      `${o.workers.join('/')} worker process(es), DATABASE_POOL_SIZE ${o.poolSize ?? '10 (default)'}, ${o.sends} send(s), ` +
      `sim uncapped, latency ${o.latencyMs} ms${o.workerPgOptions ? `, worker Postgres options "${o.workerPgOptions}"` : ''}`,
    `          baseline = @alicloud/dingtalk SDK, batches of ${BATCH}, 1 and ${o.baselineLoops} loops, same simulator build, latency ${o.latencyMs} ms`,
    `          apps = ${o.apps} chat configurations (one simulator app each, ${o.simQps} calls/s), ${o.appsRecipients} recipients each, WORKER_CONCURRENCY ${o.appsConcurrency}, ${o.workers.join('/')} worker process(es)`,
    `          quota = ${o.quotaRecipients} recipients per run, flow control ${o.flowControlPercents.join('/')}% per call, dingrelay at its defaults, 1 worker`,
  ].join('\n');
}

main()
  .then(() => cleanup())
  .catch(async (error) => {
    if (!state.interrupted) {
      console.error(`bench    | failed: ${error?.stack ?? error}`);
    }
    await cleanup();
    process.exitCode = state.interrupted ? 130 : 1;
  });
