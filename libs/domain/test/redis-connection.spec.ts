import { Logger } from '@nestjs/common';
import { captureStdio, RedisServerProcess, waitFor } from '@dingrelay/testing';
import type { Redis } from 'ioredis';
import { AppLogger, createRedisConnection } from '../src/index.js';

/** The process's own Redis connection reports an outage in the JSON log: once when it begins, once when it ends. */
describe('Redis connection outage in the log', () => {
  let server: RedisServerProcess;
  let redis: Redis | undefined;

  beforeAll(async () => {
    server = await RedisServerProcess.start();
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await redis?.quit();
    await server?.stop();
  });

  it('logs "unreachable" once per outage and "reachable again" when it ends, never ioredis\'s plain-text errors', async () => {
    Logger.overrideLogger(new AppLogger({ format: 'json', level: 'log' }));
    const { out, err } = await captureStdio(async () => {
      redis = createRedisConnection(server.url);
      expect(await redis.ping()).toBe('PONG');
      await server.kill();
      // Several reconnect attempts fail while the server is down.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await server.restart();
      await waitFor(() => redis!.ping().catch(() => 'down'), (answer) => answer === 'PONG', {
        timeoutMs: 15_000,
        intervalMs: 100,
        description: 'the connection to come back',
      });
    });

    expect(err).toEqual([]);
    const lines = out.map((line) => JSON.parse(line) as { level: string; context: string; message: string });
    expect(lines.map((l) => [l.level, l.context])).toEqual([
      ['warn', 'Redis'],
      ['log', 'Redis'],
    ]);
    expect(lines[0]!.message).toMatch(/^unreachable: .+; reconnecting \(commands wait for it\)$/);
    expect(lines[1]!.message).toMatch(/^reachable again after \d+ ms$/);
  }, 30_000);
});
