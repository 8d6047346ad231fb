import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, ManagedProcess } from './managed-process.js';

/**
 * The `redis-server` binary on PATH (or REDIS_SERVER_BIN). Throws a message that says what is missing: a test that
 * needs its own Redis must fail loudly on a machine without one, never pass without having run.
 */
export function redisServerBinary(): string {
  const explicit = process.env['REDIS_SERVER_BIN'];
  const candidates = explicit ? [explicit] : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    'This test starts and kills a Redis server of its own, and no `redis-server` binary was found on PATH' +
      `${explicit ? ` (REDIS_SERVER_BIN=${explicit} is not executable)` : ''}. Install it (Debian: apt-get install redis-server) ` +
      'or set REDIS_SERVER_BIN.',
  );
}

/**
 * A throwaway Redis server on its own port: no persistence, so a kill loses every key, as a Redis restart without
 * AOF/RDB does in production. `restart` starts a fresh, empty one on the same port.
 */
export class RedisServerProcess {
  private current: ManagedProcess | undefined;
  private generation = 0;

  private constructor(
    readonly port: number,
    private readonly binary: string,
  ) {}

  static async start(port?: number): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()), redisServerBinary());
    await server.startProcess();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get process(): ManagedProcess | undefined {
    return this.current;
  }

  /** `kill -9`: every queued job is gone with it. */
  async kill(): Promise<void> {
    await this.current?.kill();
  }

  /** A new, empty server on the same port. */
  async restart(): Promise<void> {
    if (this.current?.running) await this.current.kill();
    await this.startProcess();
  }

  async stop(): Promise<void> {
    await this.current?.stop('SIGTERM', 5_000);
  }

  private async startProcess(): Promise<void> {
    this.generation += 1;
    const server = new ManagedProcess({
      name: `redis-server :${this.port} #${this.generation}`,
      command: this.binary,
      args: ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    });
    this.current = server;
    // With --loglevel warning nothing is printed on start: ask it instead.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (!server.running) throw new Error(`${server.name} exited at start-up; its output:\n${server.output()}`);
      if (await pingOnce(this.url)) return;
      if (Date.now() > deadline) {
        await server.kill();
        throw new Error(`${server.name} did not answer PING within 10 s; its output:\n${server.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function pingOnce(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
