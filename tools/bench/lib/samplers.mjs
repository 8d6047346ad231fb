// What was busy during a measurement: CPU seconds per process group (from /proc, Linux only) and what Postgres
// sessions of the benchmark database were doing (pg_stat_activity sampled every 100 ms, as average sessions).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of one process in seconds, or undefined when it is gone (or not on Linux). */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Machine-wide CPU: busy and total jiffies (all cores) from /proc/stat. */
function machineCpu() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal; guest is already inside user
    const idle = v[3] + (v[4] ?? 0);
    return { busy: (total - idle) / clockTicks(), total: total / clockTicks() };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU busy over the next `ms` (undefined off Linux). */
export async function machineBusyShare(ms) {
  const a = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = machineCpu();
  if (!a || !b || b.total === a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}

/**
 * Postgres server processes by role: sessions of our database by application_name (dingrelay-api,
 * dingrelay-worker, dingrelay-bench) and the server's background processes (WAL writer, checkpointer, autovacuum…).
 * Other databases' sessions (other people's tests) are left out.
 */
async function postgresPids(pool, database) {
  const { rows } = await pool.query(
    `SELECT pid, application_name, backend_type, datname FROM pg_stat_activity
      WHERE datname = $1 OR backend_type NOT IN ('client backend', 'parallel worker')`,
    [database],
  );
  const groups = {};
  for (const r of rows) {
    const group =
      r.backend_type === 'client backend'
        ? `postgres (${r.application_name?.replace(/^dingrelay-/, '') || 'other'} sessions)`
        : 'postgres (background)';
    (groups[group] ??= []).push(r.pid);
  }
  return groups;
}

/**
 * CPU used between `start()` and `stop()`: per group (our children by name, Postgres by role, Redis) in CPU seconds
 * and in cores (seconds / wall seconds), plus the whole machine's busy share.
 */
export class CpuSampler {
  /**
   * @param {{ children: () => {name: string, pid?: number}[], pool?: import('pg').Pool, database?: string, redisPid?: number }} sources
   */
  constructor(sources) {
    this.sources = sources;
  }

  async groups() {
    const groups = {};
    for (const child of this.sources.children()) if (child.pid) (groups[child.name] ??= []).push(child.pid);
    if (this.sources.pool) Object.assign(groups, await postgresPids(this.sources.pool, this.sources.database).catch(() => ({})));
    if (this.sources.redisPid) groups['redis-server'] = [this.sources.redisPid];
    return groups;
  }

  async start() {
    this.startedAt = performance.now();
    this.machineStart = machineCpu();
    this.pidStart = new Map();
    for (const pids of Object.values(await this.groups())) {
      for (const pid of pids) this.pidStart.set(pid, processCpuSeconds(pid) ?? 0);
    }
  }

  /** Call before the processes stop. Groups whose processes started meanwhile count all their CPU. */
  async stop() {
    const wall = (performance.now() - this.startedAt) / 1000;
    const machineEnd = machineCpu();
    const byGroup = {};
    for (const [group, pids] of Object.entries(await this.groups())) {
      let seconds = 0;
      for (const pid of pids) {
        const now = processCpuSeconds(pid);
        if (now !== undefined) seconds += now - (this.pidStart.get(pid) ?? 0);
      }
      byGroup[group] = { cpuSeconds: +seconds.toFixed(2), cores: +(seconds / wall).toFixed(2) };
    }
    const machine =
      this.machineStart && machineEnd
        ? +((machineEnd.busy - this.machineStart.busy) / (machineEnd.total - this.machineStart.total)).toFixed(3)
        : undefined;
    // Whatever else kept the machine busy meanwhile (other people's tests on a shared box, the kernel, this script).
    const ours = Object.values(byGroup).reduce((n, g) => n + g.cores, 0);
    const otherCores = machine === undefined ? undefined : +Math.max(0, machine * cpus().length - ours).toFixed(2);
    return { wallSeconds: +wall.toFixed(2), machineBusyShare: machine, otherCores, byGroup };
  }
}

/**
 * Samples pg_stat_activity of one database every `intervalMs` and reports, per (application, state, wait event),
 * the average number of sessions in it: "1.8 worker sessions active waiting on Lock:transactionid" means row-lock
 * queueing (the waiting statement is shown), "idle in transaction" means Postgres waiting on the app between
 * statements of an open transaction.
 */
export class PgWaitSampler {
  constructor(pool, database, intervalMs = 100) {
    this.pool = pool;
    this.database = database;
    this.intervalMs = intervalMs;
    this.samples = 0;
    this.tally = new Map();
    this.holders = new Map();
  }

  start() {
    let busy = false;
    this.timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const { rows } = await this.pool.query(
          `SELECT pid, application_name AS app, state, wait_event_type AS wtype, wait_event AS wevent,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 48) AS query,
                  CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END AS blockers
             FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND application_name <> 'dingrelay-bench' AND state IS DISTINCT FROM 'idle'`,
          [this.database],
        );
        this.samples++;
        const describe = (r) => {
          const app = (r.app || 'other').replace(/^dingrelay-/, '');
          const wait = r.wtype ? `${r.wtype}:${r.wevent}` : 'on CPU';
          return { app, wait };
        };
        const blockers = new Set();
        for (const r of rows) {
          const { app, wait } = describe(r);
          // For lock waits, the waiting statement says which row is hot.
          const key = `${app} ${r.state} ${wait}${r.wtype === 'Lock' ? ` [${r.query.trim()}…]` : ''}`;
          this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
          for (const pid of r.blockers ?? []) blockers.add(pid);
        }
        // What the sessions everybody queues behind are doing: running a statement, or idle in their transaction
        // waiting for the app's next one (then `query` is the last statement they ran).
        for (const r of rows) {
          if (!blockers.has(r.pid)) continue;
          const { app, wait } = describe(r);
          const key = `${app} ${r.state} ${wait} [${r.query.trim()}…]`;
          this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
        }
      } catch {
        // a sample lost; the average is over the samples taken
      } finally {
        busy = false;
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    const average = (tally) =>
      [...tally]
        .map(([key, n]) => ({ key, sessions: +(n / Math.max(1, this.samples)).toFixed(2) }))
        .sort((a, b) => b.sessions - a.sessions);
    return { samples: this.samples, averageSessions: average(this.tally), lockHolders: average(this.holders) };
  }
}
