import { execFileSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, freePort, ManagedProcess } from './managed-process.js';

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/** The Postgres binaries that the `embedded-postgres` dev dependency ships for this platform. */
async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as PostgresBinaries;
    if (!binaries.postgres || !binaries.initdb) throw new Error('it exports no postgres/initdb paths');
    return binaries;
  } catch (error) {
    throw new Error(`No embedded Postgres binaries for this platform (${name}: ${(error as Error).message}); run npm ci`, { cause: error });
  }
}

/** Postgres refuses to run as root; as root it runs as the `postgres` system user, as tools/dev/embedded-postgres.mjs does. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root, a dedicated Postgres must run as the `postgres` system user, and there is none (useradd postgres)');
  }
}

export type PostgresStopMode = 'immediate' | 'fast';

/**
 * A throwaway Postgres cluster of a test's own (the embedded-postgres binaries, started directly rather than through
 * the library, whose process-wide exit hooks don't belong in a jest worker): its own data folder under the temp dir
 * and its own port, trust auth on 127.0.0.1, no Unix socket. `stop('immediate')` is a crash as far as clients can
 * tell (SIGQUIT: no checkpoint, connections dropped, WAL recovery on the next start); `start` brings it back on the
 * same port with the same data.
 */
export class PostgresServerProcess {
  private current: ManagedProcess | undefined;
  private generation = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly binaries: PostgresBinaries,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  static async create(): Promise<PostgresServerProcess> {
    const binaries = await postgresBinaries();
    const user = runAs();
    const dir = await mkdtemp(join(tmpdir(), 'dingrelay-pg-'));
    if (user) await chown(dir, user.uid, user.gid);
    const server = new PostgresServerProcess(await freePort(), dir, binaries, user);
    try {
      await server.initdb();
      await server.start();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  /** A connection URL for `database` on this server. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get process(): ManagedProcess | undefined {
    return this.current;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    if (this.current?.running) return;
    this.generation += 1;
    const server = new ManagedProcess({
      name: `postgres :${this.port} #${this.generation}`,
      command: this.binaries.postgres,
      args: [
        '-D', this.dataDir,
        '-p', String(this.port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        // The OS keeps what Postgres wrote when Postgres dies; only a machine crash would need fsync.
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
      ],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      ...this.user,
    });
    this.current = server;
    await server.waitForLine(/database system is ready to accept connections/, timeoutMs);
  }

  /** Stops the server and waits until it has exited (`immediate`: SIGQUIT, a crash to clients; `fast`: SIGINT). */
  async stop(mode: PostgresStopMode = 'fast'): Promise<void> {
    const server = this.current;
    if (!server?.running) return;
    const exit = await server.stop(mode === 'immediate' ? 'SIGQUIT' : 'SIGINT', 15_000);
    if (exit.signal === 'SIGKILL') throw new Error(`${server.name} ignored ${mode} shutdown; its output:\n${server.output()}`);
  }

  /** Stops it (if running) and deletes its data folder. */
  async destroy(): Promise<void> {
    await this.current?.stop('SIGINT', 10_000);
    await rm(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async initdb(): Promise<void> {
    const initdb = new ManagedProcess({
      name: 'initdb',
      command: this.binaries.initdb,
      args: ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      ...this.user,
    });
    const exit = await initdb.exited;
    if (exit.code !== 0) throw new Error(`initdb failed (${describeExit(exit)}):\n${initdb.output()}`);
  }
}
