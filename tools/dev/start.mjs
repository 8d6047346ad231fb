#!/usr/bin/env node
// `npm start`: build, find or start Postgres and Redis, then run the DingTalk simulator, the API and the worker
// with their environment wired together. Ctrl-C stops everything it started, in order.
//
// Postgres: DATABASE_URL (and DATABASE_MIGRATION_URL) if set; else a local server on 127.0.0.1:5432 (database
//   `dingrelay` is created if missing); else an embedded Postgres on .data/postgres (tools/dev/embedded-postgres.mjs).
//   There the apps run as the runtime role `dingrelay_app` (created, its password in .data/dev-database-runtime-password)
//   and migrate as the server's superuser (DATABASE_MIGRATION_URL), as production separates them.
// Redis: REDIS_URL if set; else a local server on 127.0.0.1:6379; else a throwaway `redis-server` if one is
//   installed; else it stops and says how to get one.
// Admin key: kept in .data/dev-admin-api-key (git-ignored), issued on the first start or when the API no longer
//   accepts it; printed with a curl example.
// Secret encryption key: SECRET_ENCRYPTION_KEYS if set; else one generated on the first start into
//   .data/dev-secret-encryption-keys (git-ignored) and reused, so stored chat configurations stay readable.
// Audit digests: signed with AUDIT_DIGEST_KEY if set, else with .data/dev-audit-digest-key (made on the first start);
//   the worker appends them to AUDIT_DIGEST_FILE, default .data/audit-digests.ndjson (`dingrelay audit verify --digest`).
// DingTalk: the simulator, unless DINGTALK_BASE_URL is set (then the simulator is not started and the
//   DINGTALK_* credentials are passed through untouched).
//
// Overrides for the probes (mostly for testing this script): DEV_PG_PROBE_URL, DEV_REDIS_PROBE_URL,
// DEV_EMBEDDED_PG_PORT.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { oneShots, runToCompletion, say, signalGroup, startService } from './lib/processes.mjs';
import {
  ensureDatabase,
  findOnPath,
  freePort,
  httpStatus,
  isPortFree,
  pingRedis,
  probePostgres,
  ensureRuntimeRole,
  redact,
  waitFor,
  withDatabase,
} from './lib/services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Children write to pipes, not a terminal: ask them for plain text unless our own output is a terminal.
const env = process.stdout.isTTY ? process.env : { NO_COLOR: '1', ...process.env };
const log = (line) => say('start', line);
const fail = (line) => say('start', line, process.stderr);

const READY_TIMEOUT_MS = 120_000; // first start runs migrations
const STOP_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------
// Lifecycle: services are started in tiers (databases, simulator, apps) and stopped in reverse tier order,
// each tier in parallel, so the apps close their connections before Postgres and Redis go away.

const tiers = [];
let stopping = null;

function shutdown(code) {
  stopping ??= (async () => {
    for (const child of oneShots) child.kill('SIGTERM');
    const live = [...tiers].reverse().flat().filter((s) => s.running());
    if (live.length) log(`stopping ${live.map((s) => s.name).join(', ')}…`);
    for (const tier of [...tiers].reverse()) await Promise.all(tier.map((s) => s.stop(STOP_TIMEOUT_MS)));
    process.exit(code);
  })();
  return stopping;
}

function track(tier, service) {
  tier.push(service);
  service.exited.then(({ code, signal }) => {
    if (stopping) return;
    fail(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    shutdown(1);
  });
  return service;
}

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) {
      firstSignalAt = Date.now();
      return void shutdown(0);
    }
    // One Ctrl-C can arrive twice (from the terminal and relayed by npm); a deliberate second one forces the stop.
    if (Date.now() - firstSignalAt < 1000) return;
    fail('forced stop');
    for (const s of tiers.flat()) signalGroup(s.child, 'SIGKILL', true);
    process.exit(1);
  });
}
// Last resort if this script itself crashes: children are in their own process groups and would outlive it.
process.on('exit', () => {
  for (const s of tiers.flat()) if (s.running()) signalGroup(s.child, 'SIGTERM', false);
});

// ---------------------------------------------------------------------------------------------------------

async function build() {
  log('building (npm run build)…');
  const code = await runToCompletion('npm', ['run', 'build'], { cwd: root, env });
  if (stopping) return;
  if (code !== 0) throw new StartError(`the build failed (npm run build exited with ${code})`);
}

async function postgres(tier) {
  if (env.DATABASE_URL) {
    log(`Postgres: DATABASE_URL = ${redact(env.DATABASE_URL)}${env.DATABASE_MIGRATION_URL ? `, DATABASE_MIGRATION_URL = ${redact(env.DATABASE_MIGRATION_URL)}` : ''}`);
    return { url: env.DATABASE_URL, migrationUrl: env.DATABASE_MIGRATION_URL, note: 'from DATABASE_URL' };
  }
  const probeUrl = env.DEV_PG_PROBE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const probe = await probePostgres(probeUrl);
  if (probe.ok) {
    const created = await ensureDatabase(probeUrl, 'dingrelay');
    const ownerUrl = withDatabase(probeUrl, 'dingrelay');
    log(`Postgres: local server at ${redact(ownerUrl)}${created ? ' (database created)' : ''}`);
    return { ...(await runtimeRole(ownerUrl)), note: 'local server' };
  }
  const why = probe.absent
    ? `nothing at ${redact(probeUrl)}`
    : `${redact(probeUrl)} refused us (${probe.reason}); set DATABASE_URL to use it`;
  log(`Postgres: ${why}; starting an embedded Postgres (data in .data/postgres)…`);
  const helper = track(
    tier,
    startService('postgres', process.execPath, [join(root, 'tools/dev/embedded-postgres.mjs')], {
      cwd: root,
      env,
      ipc: true,
    }),
  );
  const url = await new Promise((resolve) => {
    helper.child.on('message', (msg) => msg?.type === 'ready' && resolve(msg.url));
    helper.exited.then(() => resolve(null));
  });
  if (!url) throw new StartError('the embedded Postgres did not start (see its output above)');
  return { ...(await runtimeRole(url)), note: 'embedded, data in .data/postgres' };
}

/** Git-ignored (.data/): the key the worker signs audit digests with, and where it appends them. */
const DEV_AUDIT_DIGEST_KEY_FILE = join(root, '.data', 'dev-audit-digest-key');
const DEV_AUDIT_DIGEST_FILE = join(root, '.data', 'audit-digests.ndjson');

/** The apps' Postgres role in development: they run as it; migrations run as the owner (`ownerUrl`), as in production. */
const DEV_RUNTIME_ROLE = 'dingrelay_app';
/** Git-ignored (.data/): its password, made on the first start. */
const DEV_RUNTIME_PASSWORD_FILE = join(root, '.data', 'dev-database-runtime-password');

async function runtimeRole(ownerUrl) {
  const password = devFileSecret(DEV_RUNTIME_PASSWORD_FILE, () => randomBytes(18).toString('base64url')).value;
  const url = await ensureRuntimeRole(ownerUrl, DEV_RUNTIME_ROLE, password);
  log(`Postgres: the apps run as ${DEV_RUNTIME_ROLE}; migrations as ${decodeURIComponent(new URL(ownerUrl).username) || 'the default user'}`);
  return { url, migrationUrl: ownerUrl };
}

/** A development secret kept in a git-ignored file under .data/: the file's, else `generate()`'s, written there. */
function devFileSecret(file, generate) {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), note: `kept in ${relative(root, file)}` };
  mkdirSync(dirname(file), { recursive: true });
  const value = generate();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, note: `generated into ${relative(root, file)}` };
}

async function redis(tier) {
  if (env.REDIS_URL) {
    log(`Redis: REDIS_URL = ${redact(env.REDIS_URL)}`);
    return { url: env.REDIS_URL, note: 'from REDIS_URL' };
  }
  const probeUrl = env.DEV_REDIS_PROBE_URL || 'redis://127.0.0.1:6379';
  const reply = await pingRedis(probeUrl);
  if (reply === 'pong') {
    log(`Redis: local server at ${redact(probeUrl)}`);
    return { url: probeUrl, note: 'local server' };
  }
  const why = reply === 'absent'
    ? `nothing at ${redact(probeUrl)}`
    : `${redact(probeUrl)} answered "${reply}"; set REDIS_URL to use it`;
  const binary = await findOnPath('redis-server');
  if (!binary) {
    throw new StartError(
      `Redis: ${why}, and no redis-server is installed. Install one ` +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
  }
  const port = await freePort();
  log(`Redis: ${why}; starting ${binary} on port ${port} (in memory, gone on exit)…`);
  // No persistence: this Redis only holds queues for this session.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = track(
    tier,
    startService('redis', binary, [...args, '--dir', tmpdir(), '--loglevel', 'warning'], { cwd: tmpdir(), env }),
  );
  const url = `redis://127.0.0.1:${port}`;
  const up = await waitFor(async () => (await pingRedis(url)) === 'pong', {
    timeoutMs: 15_000,
    shouldStop: () => !server.running() || !!stopping,
  });
  if (!up) throw new StartError('redis-server did not answer PING (see its output above)');
  return { url, note: 'redis-server started for this session' };
}

/** Start `node apps/<app>/dist/main.js` with the dev preload. */
function startApp(tier, name, app, appEnv) {
  const main = join(root, 'apps', app, 'dist', 'main.js');
  if (!existsSync(main)) throw new StartError(`${main} is missing after the build`);
  const preload = pathToFileURL(join(root, 'tools/dev/exit-with-parent.mjs')).href;
  return track(
    tier,
    startService(name, process.execPath, ['--enable-source-maps', '--import', preload, main], {
      cwd: root,
      env: appEnv,
      ipc: true,
    }),
  );
}

/** The address to reach a server bound to `host` from this machine. */
function connectHost(host) {
  return !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

async function requireFreePort(port, host, variable) {
  if (!(await isPortFree(port, connectHost(host)))) {
    throw new StartError(`port ${port} is already in use (another npm start?); set ${variable} to use another port`);
  }
}

async function waitForHttp(name, service, url) {
  const status = await waitFor(() => httpStatus(url), {
    timeoutMs: READY_TIMEOUT_MS,
    shouldStop: () => !service.running() || !!stopping,
  });
  if (!status && !stopping) throw new StartError(`${name} did not answer on ${url} within ${READY_TIMEOUT_MS / 1000}s`);
}

class StartError extends Error {}

/** Git-ignored (.data/): the key that encrypts the development database's stored secrets. */
const DEV_SECRET_KEYS_FILE = join(root, '.data', 'dev-secret-encryption-keys');

/**
 * SECRET_ENCRYPTION_KEYS for the apps: the environment's, else the development key file's, created on the first
 * start. Never a committed key: each checkout makes its own.
 */
function devSecretEncryptionKeys() {
  if (env.SECRET_ENCRYPTION_KEYS) return { keys: env.SECRET_ENCRYPTION_KEYS, note: 'from SECRET_ENCRYPTION_KEYS' };
  if (existsSync(DEV_SECRET_KEYS_FILE)) {
    return { keys: readFileSync(DEV_SECRET_KEYS_FILE, 'utf8').trim(), note: `kept in ${relative(root, DEV_SECRET_KEYS_FILE)}` };
  }
  mkdirSync(dirname(DEV_SECRET_KEYS_FILE), { recursive: true });
  const keys = `dev1:${randomBytes(32).toString('base64')}`;
  writeFileSync(DEV_SECRET_KEYS_FILE, `${keys}\n`, { mode: 0o600 });
  return { keys, note: `generated into ${relative(root, DEV_SECRET_KEYS_FILE)}` };
}

/** Git-ignored (.data/): the developer's admin key, kept across starts. */
const DEV_ADMIN_KEY_FILE = join(root, '.data', 'dev-admin-api-key');

/**
 * Leaves the developer a working admin key: the one in DEV_ADMIN_KEY_FILE if the API accepts it, else a new one
 * issued by `npm run api-key:create`'s command into that file (the first start, a fresh database, a revoked key).
 */
async function devAdminKey(apiUrl, appEnv) {
  const existing = existsSync(DEV_ADMIN_KEY_FILE) ? readFileSync(DEV_ADMIN_KEY_FILE, 'utf8').trim() : '';
  if (existing) {
    const status = await httpStatus(`${apiUrl}/v1/api-keys?maxResults=1`, 5000, { authorization: `Bearer ${existing}` });
    if (status === 200) return 'kept';
  }
  mkdirSync(dirname(DEV_ADMIN_KEY_FILE), { recursive: true });
  const command = join(root, 'apps', 'api', 'dist', 'create-api-key.js');
  const args = ['--role', 'admin', '--name', 'dev-admin', '--output', DEV_ADMIN_KEY_FILE];
  const code = await runToCompletion(process.execPath, [command, ...args], { cwd: root, env: appEnv });
  if (code !== 0 && !stopping) throw new StartError(`could not create a development admin key (exit code ${code})`);
  return 'created';
}

async function main() {
  await build();
  if (stopping) return;

  const apiPort = Number(env.API_PORT || 3000);
  const apiHost = env.API_HOST || '127.0.0.1'; // dev binds loopback unless told otherwise
  const useSimulator = !env.DINGTALK_BASE_URL;
  const simPort = Number(env.SIM_PORT || 3100);
  const simHost = env.SIM_HOST || '127.0.0.1';
  const simUrl = `http://${connectHost(simHost)}:${simPort}`;
  const workerPort = Number(env.WORKER_HTTP_PORT || 3001);
  const workerHost = env.WORKER_HTTP_HOST || '127.0.0.1';
  // Fail before starting any database if the apps could not bind their ports anyway.
  await requireFreePort(apiPort, apiHost, 'API_PORT');
  if (workerPort !== 0) await requireFreePort(workerPort, workerHost, 'WORKER_HTTP_PORT');
  if (useSimulator) await requireFreePort(simPort, simHost, 'SIM_PORT');

  const databases = [];
  tiers.push(databases);
  const pgInfo = await postgres(databases);
  if (stopping) return;
  const redisInfo = await redis(databases);
  if (stopping) return;

  if (useSimulator) {
    const simTier = [];
    tiers.push(simTier);
    const sim = startApp(simTier, 'sim', 'dingtalk-sim', { ...env, SIM_PORT: String(simPort), SIM_HOST: simHost });
    await waitForHttp('the simulator', sim, `${simUrl}/__sim/health`);
    if (stopping) return;
  }

  const secretKeys = devSecretEncryptionKeys();
  log(`Secret encryption key: ${secretKeys.note}`);
  const digestKey = env.AUDIT_DIGEST_KEY
    ? { value: env.AUDIT_DIGEST_KEY, note: 'from AUDIT_DIGEST_KEY' }
    : devFileSecret(DEV_AUDIT_DIGEST_KEY_FILE, () => randomBytes(32).toString('base64'));
  log(`Audit digest key: ${digestKey.note}; digests appended to ${relative(root, env.AUDIT_DIGEST_FILE || DEV_AUDIT_DIGEST_FILE)}`);
  const appEnv = {
    // Readable lines in a developer's terminal; production's default is one JSON object per line.
    LOG_FORMAT: 'text',
    ...env,
    SECRET_ENCRYPTION_KEYS: secretKeys.keys,
    // The worker signs audit digests with it; the API checks a digest's signature with it.
    AUDIT_DIGEST_KEY: digestKey.value,
    AUDIT_DIGEST_FILE: env.AUDIT_DIGEST_FILE || DEV_AUDIT_DIGEST_FILE,
    DATABASE_URL: pgInfo.url,
    // Both apps apply pending migrations at start as the owner (a lock serialises them); they serve as the runtime role.
    ...(pgInfo.migrationUrl && { DATABASE_MIGRATION_URL: pgInfo.migrationUrl }),
    REDIS_URL: redisInfo.url,
    API_PORT: String(apiPort),
    API_HOST: apiHost,
    WORKER_HTTP_PORT: String(workerPort),
    WORKER_HTTP_HOST: workerHost,
    // Against the simulator, default to its built-in app; against a real DingTalk nothing is made up.
    ...(useSimulator && {
      DINGTALK_BASE_URL: simUrl,
      DINGTALK_APP_KEY: env.DINGTALK_APP_KEY || 'dingrelay-dev-app',
      DINGTALK_APP_SECRET: env.DINGTALK_APP_SECRET || 'dingrelay-dev-secret',
      DINGTALK_ROBOT_CODE: env.DINGTALK_ROBOT_CODE || 'dingrelay-dev-robot',
    }),
  };
  const appTier = [];
  tiers.push(appTier);
  const api = startApp(appTier, 'api', 'api', appEnv);
  startApp(appTier, 'worker', 'worker', appEnv);

  const apiUrl = `http://${connectHost(apiHost)}:${apiPort}`;
  await waitForHttp('the API', api, `${apiUrl}/`);
  if (stopping) return;
  const adminKey = await devAdminKey(apiUrl, appEnv);
  if (stopping) return;
  const keyFile = relative(process.cwd(), DEV_ADMIN_KEY_FILE) || DEV_ADMIN_KEY_FILE;

  const rows = [
    ['Console', `${apiUrl}/console/ (sign in with the admin key below)`],
    ['API', apiUrl],
    ['API docs', `${apiUrl}/docs`],
    ['Queues', `${apiUrl}/admin/queues (any user name, the admin key as the password)`],
    ...(workerPort !== 0 ? [['Worker ops', `http://${connectHost(workerHost)}:${workerPort} (/health/live, /health/ready, /metrics)`]] : []),
    ['Admin key', `in ${keyFile}${adminKey === 'created' ? ' (new)' : ''}: curl -H "Authorization: Bearer $(cat ${keyFile})" ${apiUrl}/v1/usage`],
    ['DingTalk', useSimulator ? `${simUrl} (simulator)` : `${env.DINGTALK_BASE_URL} (from DINGTALK_BASE_URL)`],
    ['Postgres', `${redact(pgInfo.url)} (${pgInfo.note})`],
    ['Redis', `${redact(redisInfo.url)} (${redisInfo.note})`],
  ];
  log('');
  log('dingrelay is up');
  for (const [key, value] of rows) log(`  ${key.padEnd(10)} ${value}`);
  log('Ctrl-C stops everything.');
  log('');
}

main().catch((err) => {
  if (stopping) return;
  fail(err instanceof StartError ? err.message : `unexpected error: ${err?.stack ?? err}`);
  shutdown(1);
});
