import { Logger } from '@nestjs/common';
import { captureStdio, openTestDataSource } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { AppLogger } from '../src/index.js';

/** What TypeORM says about failed queries reaches the log as the app's own JSON lines, without query parameters. */
describe('database logging', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDataSource();
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await db?.destroy();
  });

  it('logs a failed query as one JSON error line naming the error and the statement, never its parameters', async () => {
    Logger.overrideLogger(new AppLogger({ format: 'json', level: 'verbose' }));
    const parameter = 'msg-content-of-a-user-7f3a9c';
    let failure: unknown;
    const { out, err } = await captureStdio(async () => {
      failure = await db
        .query(`SELECT 1 / 0 AS broken
                  FROM (SELECT $1::text AS content) AS p`, [parameter])
        .catch((error: unknown) => error);
    });

    expect((failure as Error).message).toBe('division by zero');
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'error',
      context: 'Database',
      message: 'query failed: division by zero (SELECT 1 / 0 AS broken FROM (SELECT $1::text AS content) AS p)',
    });
    expect(out[0]).not.toContain(parameter);
    // No colour codes: TypeORM's console logger wrote ANSI escapes into the log.
    expect(out[0]).not.toContain('\u001b[');
  });
});
