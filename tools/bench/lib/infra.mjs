// Postgres and Redis for the benchmark: a dedicated database dropped and recreated per run, a unique Bull prefix
// per scenario (deleted afterwards), and facts about the machine and the servers for the report.
import os from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Replaces the database name (path) of a postgres:// URL. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A URL safe to print. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** One short-lived connection to `url` for `fn`, closed afterwards whatever happens. */
export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'dingrelay-bench' });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Drops `name` (ending its sessions, e.g. a previous run's leftovers) and creates it empty. The server is the one
 * `serverUrl` points at; we connect to its `postgres` database to do it.
 */
export async function recreateDatabase(serverUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing odd database name ${JSON.stringify(name)}`);
  await withClient(withDatabase(serverUrl, 'postgres'), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}

/** Empties dingrelay's tables between scenarios so each starts on the same (empty) tables and indexes. */
export async function resetTables(pool) {
  const { rows } = await pool.query(
    `SELECT string_agg(quote_ident(tablename), ', ') AS list FROM pg_tables
      WHERE schemaname = 'public' AND tablename IN ('sends', 'batches', 'recipients', 'send_events', 'delivery_pauses', 'dingtalk_usage')`,
  );
  if (rows[0]?.list) await pool.query(`TRUNCATE ${rows[0].list} CASCADE`);
  // Start each measurement with no dirty buffers pending a checkpoint (superuser only; harmless if refused).
  await pool.query('CHECKPOINT').catch(() => {});
}

export async function postgresFacts(pool) {
  const settings = ['server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'work_mem'];
  const { rows } = await pool.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`, [settings]);
  const facts = {};
  for (const r of rows) facts[r.name] = r.unit && r.unit !== '' ? `${r.setting} (${r.unit})` : r.setting;
  return facts;
}

export function redisClient(url) {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

export async function redisFacts(redis) {
  const info = await redis.info('server');
  const field = (k) => info.match(new RegExp(`^${k}:(.*)$`, 'm'))?.[1]?.trim();
  return { version: field('redis_version'), pid: Number(field('process_id')) || undefined };
}

/** Deletes every key under `prefix:` (Bull queues, pacer slots, the shared access token). */
export async function deletePrefix(redis, prefix) {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/**
 * Deletes the keys of earlier benchmark runs that could not clean up (killed with -9): prefixes
 * `bench-<run timestamp>-…` older than `olderThanMs`. Younger ones may belong to a run still going.
 */
export async function sweepStalePrefixes(redis, olderThanMs) {
  const stale = new Set();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench-*', 'COUNT', 1000);
    for (const key of keys) {
      const prefix = key.split(':')[0];
      const m = prefix.match(/^bench-(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z-/);
      if (!m) continue;
      const startedAt = Date.parse(`${m[1]}:${m[2]}:${m[3]}.${m[4]}Z`);
      if (Number.isFinite(startedAt) && Date.now() - startedAt > olderThanMs) stale.add(prefix);
    }
    cursor = next;
  } while (cursor !== '0');
  for (const prefix of stale) await deletePrefix(redis, prefix);
  return stale.size;
}

export function machineFacts() {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => c.model.trim()))];
  return {
    cpus: cpus.length,
    cpuModel: models.join(' / '),
    cpuMHz: cpus[0]?.speed,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(os.freemem() / 2 ** 30).toFixed(1),
    loadAverage1m: +os.loadavg()[0].toFixed(2),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
