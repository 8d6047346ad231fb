#!/usr/bin/env node
// History benchmark: the auditor's read side over a large history, through the real API over HTTP.
//
//   node tools/bench/history.mjs                      # 10M recipients over 100k sends and 50k users
//   node tools/bench/history.mjs --recipients 1000000 --sends 10000
//   node tools/bench/history.mjs --help
//
// It generates the history in SQL (set-based generate_series, secondary indexes dropped during the load and built
// afterwards), in its own database (`dingrelay_bench_history`), once: a later run finds the marker of a complete
// generation with the same sizes and skips straight to measuring. Then it starts `node apps/api/dist/main.js` on
// that database and measures p50/p95 of history pages and a send's timeline, and for CSV exports the time to the
// response's headers and to its first byte, rows/s and the API process's peak RSS. Prints a table, writes
// tools/bench/results/history-<timestamp>.json. `--api-dir` runs another build (a checkout of an earlier commit) on
// the same database, for before/after comparisons.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, machineFacts, postgresFacts, redact, withClient, withDatabase } from './lib/infra.mjs';
import { benchApiEnv, freshAdminKey, startBenchApi } from './lib/bench-api.mjs';
import { buildCommit } from './lib/build-commit.mjs';
import { killAllNow, runInherited, stopAll } from './lib/processes.mjs';
import { table } from './lib/report.mjs';
import { machineBusyShare } from './lib/samplers.mjs';

/* global fetch */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = join(ROOT, 'tools/bench/results');
const MARKER = 'bench_history_generation';
/** Bumped when the generated data changes shape: an older generation is then generated again. */
// 4: completed sends keep their outcome (recipient_summary, ambiguous_calls), as completion does since 1764700000000.
const GENERATION_VERSION = 4;

const { values: opts } = parseArgs({
  options: {
    recipients: { type: 'string', default: '10000000' },
    sends: { type: 'string', default: '100000' },
    users: { type: 'string', default: '50000' },
    samples: { type: 'string', default: '200' },
    database: { type: 'string', default: 'dingrelay_bench_history' },
    'page-size': { type: 'string', default: '100' },
    regenerate: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'cpu-prof-api': { type: 'boolean', default: false },
    'skip-full-export': { type: 'boolean', default: false },
    'only-exports': { type: 'boolean', default: false },
    'api-dir': { type: 'string' },
    'api-commit': { type: 'string' },
    'api-pg-options': { type: 'string' },
    label: { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});

if (opts.help) {
  console.log(`node tools/bench/history.mjs [options]
  --recipients N   recipient rows to generate (default 10000000)
  --sends N        sends they belong to (default 100000; recipients must be a multiple, at most 1000 per send)
  --users N        distinct users (default 50000; at least recipients/sends)
  --samples N      requests per latency scenario (default 200)
  --page-size N    maxResults of the measured pages (default 100)
  --database NAME  database to generate into (default dingrelay_bench_history)
  --regenerate     drop the database and generate again even if a complete generation is there
  --no-build       skip npm run build (apps/*/dist must be current)
  --skip-full-export  leave out the export of every recipient row (the longest)
  --only-exports   measure the exports only, not the pages
  --api-commit REV run the API of another commit (e.g. main, HEAD~3), built once beside this checkout (in the
                   system's temp directory); the database and the measurements stay the same: before/after comparisons
  --api-dir DIR    run the API built in DIR (DIR/apps/api/dist/main.js) instead of this checkout's
  --api-pg-options=S  Postgres session options for the API (options= in its DATABASE_URL; S starts with a dash,
                   so write it after =), e.g.
                   "-c effective_cache_size=800MB" to plan as on a history several times the cache
  --label TEXT     a name for this run in the report and the results file (e.g. before, after)
  --wait-quiet N   before each export, wait up to N seconds for the machine to be under 25% busy (a shared machine)
  --cpu-prof-api   write a V8 CPU profile of the API process to tools/bench/results/ (slows it down a little)`);
  process.exit(0);
}

const SIZES = { recipients: Number(opts.recipients), sends: Number(opts.sends), users: Number(opts.users) };
const PER_SEND = SIZES.recipients / SIZES.sends;
if (!Number.isInteger(PER_SEND) || PER_SEND < 1 || PER_SEND > 1000 || SIZES.users < PER_SEND) {
  throw new Error('--recipients must be 1-1000 times --sends, and --users at least recipients per send');
}
const SAMPLES = Number(opts.samples);
const API_DIR = opts['api-commit'] ? buildCommit(ROOT, opts['api-commit'], (line) => console.log(line)) : (opts['api-dir'] ?? ROOT);
const PAGE = Number(opts['page-size']);
const CONFIGURATIONS = 10;
const SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const DATABASE_URL = withDatabase(SERVER_URL, opts.database);
const say = (line) => console.log(line);

process.on('SIGINT', () => {
  killAllNow();
  process.exit(130);
});
process.on('exit', killAllNow);

// ---------------------------------------------------------------------------------------------------------------
// Generation

function withQuery(url, key, value) {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

/** Whether the database holds a complete generation of these sizes (then nothing is generated again). */
async function existingGeneration() {
  return withClient(withDatabase(SERVER_URL, 'postgres'), async (admin) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (rowCount === 0) return { exists: false };
    return withClient(DATABASE_URL, async (c) => {
      const { rows } = await c.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [MARKER]);
      if (!rows[0].present) return { exists: true };
      const marker = await c.query(`SELECT * FROM ${MARKER} ORDER BY generated_at DESC LIMIT 1`);
      return { exists: true, marker: marker.rows[0] };
    });
  });
}

async function recreateDatabase() {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.database)) throw new Error(`refusing odd database name ${opts.database}`);
  await withClient(withDatabase(SERVER_URL, 'postgres'), async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${opts.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${opts.database}`);
  });
}

const timed = async (client, label, sql, params) => {
  const t0 = performance.now();
  const res = await client.query(sql, params);
  const seconds = (performance.now() - t0) / 1000;
  say(`  ${label}: ${seconds.toFixed(1)} s`);
  return { res, seconds };
};

/**
 * The history, set-based: sends spread evenly over 180 days across 10 configurations; each send's users are a
 * window of a permutation of the user ids (distinct within a send, every user in ~recipients/users sends spread over
 * the whole period); 20 users per batch; outcomes, reads and recalls in realistic shares; a timeline per send when
 * the send_events table exists. Rows are written send by send in time order (LATERAL keeps the send the outer
 * loop), so a send's recipients share heap pages as they do when create-send inserts them. Foreign keys are not checked during the load (session_replication_role) and the
 * secondary indexes are dropped first and rebuilt at the end: building an index once beats updating it 10M times.
 */
/**
 * 0..count-1 as column `name`, for the send `g`. It is computed from g's own range so that the planner must keep the
 * send as the outer loop: a plain generate_series(0, n) may become the outer loop, which writes recipient k of
 * every send before recipient k+1 and scatters each send's rows over as many pages as it has recipients.
 */
function rowsOfSend(name, count) {
  return `(SELECT n - g.i::bigint * ${count} AS ${name}
             FROM generate_series(g.i::bigint * ${count}, g.i::bigint * ${count} + ${count - 1}) n) ${name}_rows`;
}

async function generate() {
  const { recipients: R, sends: S, users: U } = SIZES;
  const steps = {};
  await withClient(DATABASE_URL, async (c) => {
    await c.query(`SET session_replication_role = replica`);
    await c.query(`SET maintenance_work_mem = '512MB'`);
    await c.query(`SET synchronous_commit = off`);
    const tables = ['sends', 'batches', 'recipients', 'send_events'];
    const present = (await c.query(`SELECT relname FROM pg_class WHERE relname = ANY($1) AND relkind = 'r'`, [tables])).rows.map((r) => r.relname);
    const columns = async (t) => new Set((await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [t])).rows.map((r) => r.column_name));
    const recipientCols = await columns('recipients');
    const sendCols = await columns('sends');
    // Indexes not backing a constraint (primary and unique keys stay: they are checked as rows arrive).
    const { rows: indexes } = await c.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [present],
    );
    for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
    say(`  dropped ${indexes.length} secondary indexes for the load`);

    const perSend = R / S;
    const batchesPerSend = Math.ceil(perSend / 20);
    await c.query(`CREATE TEMP TABLE gen_sends AS
      SELECT i, md5('send-' || i)::uuid AS id,
             now() - interval '180 days' + (i * (interval '180 days' / ${S})) AS created_at
        FROM generate_series(0, ${S - 1}) i`);
    const requester = sendCols.has('requested_by') ? `, requested_by` : '';
    steps.sends = (
      await timed(
        c,
        `sends (${S.toLocaleString('en-US')})`,
        `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy, recipient_count,
                            duplicates_removed, batch_count, idempotency_key, cancelled_at, completed_at, created_at,
                            updated_at${requester})
         SELECT g.id, 'bench-cfg-' || (g.i % ${CONFIGURATIONS}), 'bench-robot-' || (g.i % ${CONFIGURATIONS}),
                (ARRAY['sampleText', 'sampleMarkdown', 'sampleLink', 'sampleActionCard'])[1 + g.i % 4],
                '{"content":"benchmark"}', 'at-least-once', ${perSend}, 0, ${batchesPerSend}, 'bench-' || g.i,
                CASE WHEN g.i % 100 = 7 THEN g.created_at + interval '1 minute' END,
                -- The newest sends are still being delivered.
                CASE WHEN g.i < ${S} - 20 THEN g.created_at + interval '2 minutes' END,
                g.created_at, g.created_at + interval '2 minutes'
                ${requester ? `, 'bench-key-' || (g.i % 5)` : ''}
           FROM gen_sends g`,
      )
    ).seconds;
    steps.batches = (
      await timed(
        c,
        `batches (${(S * batchesPerSend).toLocaleString('en-US')})`,
        `INSERT INTO batches (id, send_id, seq, status, user_ids, attempts, process_query_key, created_at, updated_at, sent_at)
         SELECT md5('batch-' || g.i || '-' || b)::uuid, g.id, b, CASE WHEN g.i < ${S} - 20 THEN 'sent' ELSE 'pending' END,
                ARRAY(SELECT 'user-' || (((g.i::bigint * ${perSend} + b * 20 + k) * 7919) % ${U})
                        FROM generate_series(0, least(19, ${perSend} - 1 - b * 20)) k),
                CASE WHEN g.i < ${S} - 20 THEN 1 ELSE 0 END, 'pqk-' || g.i || '-' || b,
                g.created_at, g.created_at + interval '1 minute', g.created_at + interval '1 minute'
           FROM gen_sends g CROSS JOIN LATERAL ${rowsOfSend('b', batchesPerSend)}`,
      )
    ).seconds;
    const readRecall = recipientCols.has('read_status')
      ? `, read_status, read_at, recall_status, recall_reason, recalled_at`
      : '';
    const readRecallValues = readRecall
      ? `, CASE WHEN x.status = 'delivered' THEN CASE WHEN x.h % 10 < 7 THEN 'read' ELSE 'unread' END END,
           CASE WHEN x.status = 'delivered' AND x.h % 10 < 7 THEN x.created_at + interval '1 hour' END,
           CASE WHEN x.i % 200 = 3 THEN 'recalled' END, NULL,
           CASE WHEN x.i % 200 = 3 THEN x.created_at + interval '2 hours' END`
      : '';
    steps.recipients = (
      await timed(
        c,
        `recipients (${R.toLocaleString('en-US')})`,
        `INSERT INTO recipients (send_id, user_id, batch_id, status, reason_code, reason_message, process_query_key,
                                 attempts, created_at, updated_at, delivered_at${readRecall})
         SELECT x.id, x.user_id, x.batch_id, x.status,
                CASE x.status WHEN 'invalid' THEN 'dingrelay.invalidStaffId' WHEN 'failed' THEN '400002' END,
                CASE x.status WHEN 'failed' THEN 'staff not in the organisation' END,
                x.pqk, 1, x.created_at, x.created_at + interval '1 minute',
                CASE WHEN x.status = 'delivered' THEN x.created_at + interval '1 minute' END
                ${readRecallValues}
           FROM (SELECT g.i, g.id, g.created_at,
                        'user-' || (((g.i::bigint * ${perSend} + k) * 7919) % ${U}) AS user_id,
                        md5('batch-' || g.i || '-' || (k / 20))::uuid AS batch_id,
                        'pqk-' || g.i || '-' || (k / 20) AS pqk,
                        (g.i::bigint * 31 + k * 17) % 1000 AS h,
                        CASE WHEN g.i >= ${S} - 20 THEN 'pending'
                             WHEN (g.i::bigint * 31 + k * 17) % 1000 < 940 THEN 'delivered'
                             WHEN (g.i::bigint * 31 + k * 17) % 1000 < 970 THEN 'invalid'
                             WHEN (g.i::bigint * 31 + k * 17) % 1000 < 990 THEN 'failed'
                             ELSE 'unknown' END AS status
                   FROM gen_sends g CROSS JOIN LATERAL ${rowsOfSend('k', perSend)}) x`,
      )
    ).seconds;
    if (sendCols.has('ambiguous_calls')) {
      // What completion keeps on each send (completeSendIfSettled); the generated batches lost no answers.
      steps.outcomes = (
        await timed(
          c,
          'outcomes kept on completed sends',
          `UPDATE sends s SET recipient_summary = c.by_status, ambiguous_calls = 0
             FROM (SELECT send_id, jsonb_object_agg(status, n) AS by_status
                     FROM (SELECT send_id, status, count(*)::int AS n FROM recipients GROUP BY send_id, status) per_status
                    GROUP BY send_id) c
            WHERE c.send_id = s.id AND s.completed_at IS NOT NULL`,
        )
      ).seconds;
    }
    if (present.includes('send_events')) {
      steps.events = (
        await timed(
          c,
          'send_events (accepted, one attempt per batch, completed)',
          `INSERT INTO send_events (send_id, batch_id, type, occurred_at, details)
           SELECT id, NULL, 'accepted', created_at, jsonb_build_object('recipients', ${perSend}) FROM gen_sends
           UNION ALL
           SELECT g.id, md5('batch-' || g.i || '-' || b)::uuid, 'batch.attempt', g.created_at + interval '1 minute',
                  jsonb_build_object('attempt', 1, 'outcome', 'sent', 'processQueryKey', 'pqk-' || g.i || '-' || b)
             FROM gen_sends g CROSS JOIN LATERAL ${rowsOfSend('b', batchesPerSend)} WHERE g.i < ${S} - 20
           UNION ALL
           SELECT id, NULL, 'send.completed', created_at + interval '2 minutes', '{}' FROM gen_sends WHERE i < ${S} - 20
           ORDER BY 4`,
        )
      ).seconds;
    }
    const t0 = performance.now();
    for (const ix of indexes) await timed(c, `index ${ix.name}`, ix.def);
    steps.indexes = (performance.now() - t0) / 1000;
    steps.analyze = (await timed(c, 'vacuum analyze', `VACUUM (ANALYZE) sends, batches, recipients${present.includes('send_events') ? ', send_events' : ''}`)).seconds;
    // Flush the load's dirty pages now rather than in a checkpoint during the measurements.
    steps.checkpoint = (await timed(c, 'checkpoint', 'CHECKPOINT')).seconds;
    await c.query(`CREATE TABLE ${MARKER} (version int, recipients bigint, sends int, users int, steps jsonb, generated_at timestamptz DEFAULT now())`);
    await c.query(`INSERT INTO ${MARKER} (version, recipients, sends, users, steps) VALUES ($1, $2, $3, $4, $5)`, [GENERATION_VERSION, R, S, U, steps]);
  });
  return steps;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timedGet(url, key) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${body.slice(0, 300)}`);
  return { ms, body: JSON.parse(body) };
}

async function latency(label, urls, key) {
  for (const url of urls.slice(0, 5)) await timedGet(url, key); // warm the plan cache and the connection pool
  const times = [];
  let items = 0;
  for (const url of urls) {
    const { ms, body } = await timedGet(url, key);
    times.push(ms);
    items += (body.items ?? body.buckets ?? []).length;
  }
  times.sort((a, b) => a - b);
  return { label, samples: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1), avgItems: items / times.length };
}

/** VmRSS and VmHWM (peak) of a process, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** The Postgres backend running the export's cursor (same machine), to tell where the export's CPU goes. */
async function exportBackendPid() {
  return withClient(DATABASE_URL, async (c) => {
    const { rows } = await c.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE 'FETCH % FROM history_export' LIMIT 1`);
    return rows[0]?.pid;
  });
}

/**
 * With --wait-quiet: holds the next export until the machine is mostly idle (other people's work on a shared box), up
 * to the limit; what the export reports (its CPU shares, the load average) still says how quiet it really was.
 */
async function waitForQuietMachine() {
  const limitMs = Number(opts['wait-quiet']) * 1000;
  if (!limitMs) return undefined;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const busy = await machineBusyShare(2_000);
    if (busy === undefined || busy < 0.25) return busy;
    if (Date.now() > deadline) {
      say(`  the machine is still ${(busy * 100).toFixed(0)}% busy; measuring anyway`);
      return busy;
    }
  }
}

/**
 * One CSV export, read as fast as the client can: time to the response's headers and to its first byte (the
 * header row, or the first record), rows/s, and the API process's memory and CPU meanwhile.
 */
async function exportRun(base, key, label, path, query, pid) {
  const before = memory(pid);
  const samples = [];
  const timer = setInterval(() => samples.push(memory(pid).rss), 100);
  const apiCpu0 = cpuSeconds(pid);
  const benchCpu0 = process.cpuUsage();
  let backend;
  let backendCpu0;
  let backendCpu = 0;
  const backendTimer = setInterval(async () => {
    backend ??= await exportBackendPid().catch(() => undefined);
    if (!backend) return;
    // A pooled backend has served other queries before: count from the first sight of it (misses < 0.2 s).
    backendCpu0 ??= cpuSeconds(backend);
    backendCpu = (cpuSeconds(backend) ?? backendCpu0) - backendCpu0;
  }, 200);
  const t0 = performance.now();
  let firstByteMs;
  const res = await fetch(`${base}${path}?${new URLSearchParams({ ...query, format: 'csv' })}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const headersMs = performance.now() - t0;
  if (res.status !== 200) throw new Error(`export → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body) {
    firstByteMs ??= performance.now() - t0;
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  clearInterval(backendTimer);
  const benchCpu = process.cpuUsage(benchCpu0);
  const cpu = {
    api: (cpuSeconds(pid) ?? NaN) - apiCpu0,
    postgresBackend: backendCpu,
    client: (benchCpu.user + benchCpu.system) / 1e6,
  };
  const after = memory(pid);
  samples.sort((a, b) => a - b);
  const rows = lines - 1; // the header
  return {
    label,
    path,
    query,
    rows,
    megabytes: bytes / 2 ** 20,
    seconds,
    rowsPerSecond: rows / seconds,
    headersMs,
    firstByteMs,
    rssBeforeMiB: before.rss,
    rssMedianMiB: percentile(samples, 50),
    rssMaxSampledMiB: samples.at(-1),
    peakRssMiB: after.hwm,
    cpuSeconds: cpu,
  };
}

async function main() {
  const started = new Date();
  say(`history benchmark${opts.label ? ` (${opts.label})` : ''}: ${SIZES.recipients.toLocaleString('en-US')} recipients, ${SIZES.sends.toLocaleString('en-US')} sends, ${SIZES.users.toLocaleString('en-US')} users in ${redact(DATABASE_URL)}`);
  if (API_DIR !== ROOT) say(`API build: ${join(API_DIR, 'apps/api/dist/main.js')}${opts['api-commit'] ? ` (${opts['api-commit']})` : ''}`);
  if (opts['api-pg-options']) say(`API Postgres options: ${opts['api-pg-options']}`);
  if (!opts['no-build']) {
    say('building (npm run build)…');
    const code = await runInherited('npm', ['run', 'build'], { cwd: ROOT, env: process.env });
    if (code !== 0) throw new Error(`npm run build exited with ${code}`);
  }

  const found = await existingGeneration();
  const complete =
    !opts.regenerate && found.marker &&
    found.marker.version === GENERATION_VERSION &&
    Number(found.marker.recipients) === SIZES.recipients && found.marker.sends === SIZES.sends && found.marker.users === SIZES.users;
  if (!complete) {
    say(found.exists ? 'recreating the database (no complete generation of these sizes in it)' : 'creating the database');
    await recreateDatabase();
  } else {
    say(`generation of ${found.marker.generated_at.toISOString()} found: skipping generation`);
  }

  // The API migrates the schema on start. Earlier runs' keys are revoked so this run's bootstrap key is the admin.
  const key = await freshAdminKey(DATABASE_URL);
  const env = benchApiEnv({
    databaseUrl: opts['api-pg-options'] ? withQuery(DATABASE_URL, 'options', opts['api-pg-options']) : DATABASE_URL,
    queuePrefix: `bench-history-${process.pid}`,
    adminKey: key,
  });
  const profile = opts['cpu-prof-api'] ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS}`] : [];
  const startApi = () => startBenchApi({ root: API_DIR, env, nodeArgs: profile });
  let api = await startApi();

  let generation;
  if (!complete) {
    // Generated after the API's migrations, into the schema exactly as deployed; the API is idle meanwhile.
    await api.child.stop();
    say('generating…');
    const t0 = performance.now();
    generation = { ...(await generate()), total: (performance.now() - t0) / 1000 };
    say(`generated in ${generation.total.toFixed(0)} s`);
    api = await startApi();
  } else {
    generation = { ...found.marker.steps, reused: true };
  }

  const { rows: facts } = await withClient(DATABASE_URL, async (c) => ({
    rows: (
      await c.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
                            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'recipients') AS recipients`)
    ).rows,
  }));
  say(`database ${facts[0].size}, ~${Number(facts[0].recipients).toLocaleString('en-US')} recipients`);

  // Random but reproducible samples.
  let seed = 42;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const { sends: S, users: U } = SIZES;
  const q = (path, params) => `${api.base}${path}?${new URLSearchParams({ maxResults: String(PAGE), ...params })}`;
  const isoAt = (fraction) => new Date(Date.now() - 180 * 86_400_000 * (1 - fraction)).toISOString();
  const sendIdOf = async (i) =>
    withClient(DATABASE_URL, async (c) => (await c.query(`SELECT md5('send-' || $1::int)::uuid::text AS id`, [i])).rows[0].id);
  /** The end of a window `n` whole hours before the newest hour of the history (UTC). */
  const hoursBack = (n) => Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3_600_000 - n * 3_600_000;
  /** The end of a window at the Shanghai midnight `n` days before the next one (Shanghai is UTC+8 all year). */
  const shanghaiMidnightsBack = (n) => (Math.floor((Date.now() + 8 * 3_600_000) / 86_400_000) + 1 - n) * 86_400_000 - 8 * 3_600_000;
  const stats = (end, hours, interval, timeZone, chatConfiguration) =>
    `${api.base}/v1/stats/sends?${new URLSearchParams({
      createdFrom: new Date(end - hours * 3_600_000).toISOString(),
      createdTo: new Date(end).toISOString(),
      interval,
      timeZone,
      ...(chatConfiguration ? { chatConfiguration } : {}),
    })}`;
  const timelineIds = [];
  for (let n = 0; n < SAMPLES; n++) timelineIds.push(await sendIdOf(rand(S)));

  const scenarios = [
    ["a user's history page (GET /v1/recipients?userId)", Array.from({ length: SAMPLES }, () => q('/v1/recipients', { userId: `user-${rand(U)}` }))],
    ["a user's history, 2nd page (nextToken)", []],
    [
      'time-range page, one configuration (GET /v1/sends)',
      Array.from({ length: SAMPLES }, () => {
        const from = rand(900) / 1000;
        return q('/v1/sends', { chatConfiguration: `bench-cfg-${rand(CONFIGURATIONS)}`, createdFrom: isoAt(from), createdTo: isoAt(from + 0.05) });
      }),
    ],
    ['status-filtered page (GET /v1/sends?status=cancelled)', Array.from({ length: SAMPLES }, () => q('/v1/sends', { status: 'cancelled', createdTo: isoAt(rand(1000) / 1000 + 0.01) }))],
    ['status-filtered page, one user (GET /v1/recipients?status=failed)', Array.from({ length: SAMPLES }, () => q('/v1/recipients', { userId: `user-${rand(U)}`, status: 'failed' }))],
    ["a send's timeline (GET /v1/sends/:id/events)", timelineIds.map((id) => `${api.base}/v1/sends/${id}/events`)],
    // The console's overview chart: sends per status over time, with the recipients' totals. Windows end on a whole
    // hour (UTC) or a local midnight (Shanghai) somewhere in the history, the last one at the newest sends.
    ['send stats, 24 h hourly (GET /v1/stats/sends)', Array.from({ length: SAMPLES }, () => stats(hoursBack(rand(180 * 24 - 24)), 24, 'hour', 'UTC'))],
    ['send stats, the last 24 h hourly (sends still delivering)', Array.from({ length: SAMPLES }, () => stats(hoursBack(0), 24, 'hour', 'UTC'))],
    ['send stats, 7 d daily (Asia/Shanghai)', Array.from({ length: SAMPLES }, () => stats(shanghaiMidnightsBack(rand(180 - 7)), 7 * 24, 'day', 'Asia/Shanghai'))],
    [
      'send stats, 7 d daily, one configuration',
      Array.from({ length: SAMPLES }, () => stats(shanghaiMidnightsBack(rand(180 - 7)), 7 * 24, 'day', 'Asia/Shanghai', `bench-cfg-${rand(CONFIGURATIONS)}`)),
    ],
  ];
  // Second pages: follow the token of a first page, the way a client pages.
  for (let n = 0; n < (opts['only-exports'] ? 0 : Math.min(SAMPLES, 100)); n++) {
    const { body } = await timedGet(q('/v1/recipients', { userId: `user-${rand(U)}`, maxResults: '50' }), key);
    if (body.nextToken) scenarios[1][1].push(`${q('/v1/recipients', { userId: body.items[0].userId, maxResults: '50' })}&nextToken=${body.nextToken}`);
  }

  const latencies = [];
  for (const [label, urls] of opts['only-exports'] ? [] : scenarios) {
    if (!urls.length) continue;
    say(`measuring: ${label}`);
    try {
      latencies.push(await latency(label, urls, key));
    } catch (error) {
      latencies.push({ label, error: String(error.message ?? error).split('\n')[0] });
    }
  }

  // What the statistics avoid: the same 7-day windows' recipients counted row by row (SQL alone, no API).
  if (!opts['only-exports']) {
    say('measuring: for comparison, 7 d of recipients counted row by row');
    latencies.push(
      await withClient(DATABASE_URL, async (c) => {
        const times = [];
        for (let n = 0; n < Math.min(SAMPLES, 20); n++) {
          const end = shanghaiMidnightsBack(rand(180 - 7));
          const t0 = performance.now();
          await c.query(
            `SELECT r.status, count(*) FROM sends s JOIN recipients r ON r.send_id = s.id
              WHERE s.created_at >= $1 AND s.created_at < $2 GROUP BY r.status`,
            [new Date(end - 7 * 86_400_000), new Date(end)],
          );
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const label = 'for comparison: 7 d of recipients counted row by row (SQL only)';
        return { label, samples: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1), avgItems: 0 };
      }),
    );
  }

  // Each export as an auditor (or the console) asks for it. The old ranges are the first 5% of the history: an export
  // that has to find its rows far from the newest end.
  const oldRange = { createdFrom: isoAt(0.01), createdTo: isoAt(0.06) };
  const exportScenarios = [
    ['sends, everything', '/v1/exports/sends', {}],
    ['sends, one configuration', '/v1/exports/sends', { chatConfiguration: 'bench-cfg-3' }],
    ['recipients, one configuration', '/v1/exports/recipients', { chatConfiguration: 'bench-cfg-3' }],
    ['recipients, one configuration, status=failed', '/v1/exports/recipients', { chatConfiguration: 'bench-cfg-3', status: 'failed' }],
    ['recipients, one configuration, oldest 5%', '/v1/exports/recipients', { chatConfiguration: 'bench-cfg-3', ...oldRange }],
    ['recipients, everyone, oldest 5%', '/v1/exports/recipients', oldRange],
    ...(opts['skip-full-export'] ? [] : [['recipients, everything', '/v1/exports/recipients', {}]]),
  ];
  say('measuring: CSV exports');
  // Warm-up (JIT, plan cache, buffer cache for the sends): a small export that is not reported.
  await exportRun(api.base, key, 'warm-up', '/v1/exports/recipients', { chatConfiguration: 'bench-cfg-1', createdFrom: isoAt(0.9) }, api.child.pid);
  const exports = [];
  for (const [label, path, query] of exportScenarios) {
    const busyBefore = await waitForQuietMachine();
    say(`  ${label}`);
    exports.push({ ...(await exportRun(api.base, key, label, path, query, api.child.pid)), busyBefore, loadAverage1m: os.loadavg()[0] });
  }

  await api.child.stop();
  await stopAll();

  const pgFacts = await withClient(DATABASE_URL, (c) => postgresFacts(c)).catch(() => undefined);
  const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  const latencyTable = table(
    ['scenario', 'samples', 'p50 ms', 'p95 ms', 'max ms', 'rows/page (buckets)', 'p95 ≤ 50 ms'],
    latencies.map((l) =>
      l.error
        ? [l.label, '–', '–', '–', '–', '–', `FAILED: ${l.error}`]
        : [l.label, l.samples, fmtMs(l.p50), fmtMs(l.p95), fmtMs(l.max), l.avgItems.toFixed(0), l.p95 <= 50 ? 'yes' : 'NO'],
    ),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  const exportTable = table(
    ['CSV export', 'rows', 'MiB', 'seconds', 'rows/s', 'headers ms', 'first byte ms', 'RSS before', 'RSS median', 'peak RSS', 'CPU api/pg/client', 'load 1m', '≥ 100k rows/s'],
    exports.map((e) => [
      e.label,
      e.rows.toLocaleString('en-US'),
      e.megabytes.toFixed(0),
      e.seconds.toFixed(1),
      Math.round(e.rowsPerSecond).toLocaleString('en-US'),
      e.headersMs.toFixed(0),
      e.firstByteMs.toFixed(0),
      `${e.rssBeforeMiB.toFixed(0)} MiB`,
      `${e.rssMedianMiB.toFixed(0)} MiB`,
      `${e.peakRssMiB.toFixed(0)} MiB`,
      ['api', 'postgresBackend', 'client'].map((k) => `${Math.round((e.cpuSeconds[k] / e.seconds) * 100)}%`).join(' / '),
      e.loadAverage1m.toFixed(1),
      e.rowsPerSecond >= 100_000 ? 'yes' : 'NO',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  const machine = machineFacts();
  say('');
  if (latencies.length) say(latencyTable);
  say('');
  say(exportTable);
  say('');
  say(`generation: ${generation.reused ? 'reused' : `${(generation.total ?? 0).toFixed(0)} s`} — ${JSON.stringify(generation)}`);
  say(`machine: ${JSON.stringify(machine)}`);

  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `history-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        started,
        label: opts.label,
        apiDir: API_DIR,
        apiCommit: opts['api-commit'],
        apiPgOptions: opts['api-pg-options'],
        sizes: SIZES,
        pageSize: PAGE,
        samples: SAMPLES,
        database: facts[0],
        generation,
        latencies,
        exports,
        machine,
        postgres: pgFacts,
      },
      null,
      2,
    ),
  );
  writeFileSync(file.replace(/\.json$/, '.txt'), `${latencyTable}\n\n${exportTable}\n`);
  say(`results: ${file}`);
}

main().catch(async (error) => {
  console.error(error);
  await stopAll().catch(() => {});
  process.exit(1);
});
