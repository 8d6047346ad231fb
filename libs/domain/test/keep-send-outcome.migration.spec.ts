import { randomBytes, randomUUID } from 'node:crypto';
import { dataSourceOptions, MIGRATIONS } from '../src/persistence/data-source.options.js';
import { runMigrations } from '../src/persistence/run-migrations.js';
import { testDatabaseUrl } from '@dingrelay/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';

/**
 * The 1764700000000 migration keeps each completed send's outcome on its row. Sends completed before it are filled in
 * from their rows; unfinished ones, and purged ones (whose rows are gone), keep what they had.
 */
describe('migration 1764700000000: the outcome of sends completed before it', () => {
  // A database of its own, migrated up to the migration before this one.
  const url = `${testDatabaseUrl()}_outcome_${randomBytes(4).toString('hex')}`;
  const index = MIGRATIONS.findIndex((m) => m.name === 'KeepSendOutcome1764700000000');
  const before = MIGRATIONS.slice(0, index);
  // Up to this one: later migrations are not what this test is about.
  const upToThis = MIGRATIONS.slice(0, index + 1);
  let db: DataSource | undefined;

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE "${new URL(url).pathname.slice(1)}"`));
  });

  afterAll(async () => {
    await db?.destroy();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`));
  });

  it('fills in recipient_summary and ambiguous_calls of completed sends from their rows, and can be reverted', async () => {
    expect(before.length).toBe(index);
    const old = await new DataSource({ ...dataSourceOptions({ url, poolSize: 2 }), migrations: before }).initialize();
    const completed = randomUUID();
    const unfinished = randomUUID();
    const purged = randomUUID();
    try {
      await runMigrations(old);
      const send = async (id: string, completedAt: string | null, summary: object | null) =>
        old.query(
          `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy, recipient_count,
                              duplicates_removed, batch_count, completed_at, recipient_summary, recipients_purged_at)
           VALUES ($1, 'cfg', 'robot', 'sampleText', '{}', 'at-least-once', 3, 0, 2, $2, $3, CASE WHEN $3::jsonb IS NOT NULL THEN now() END)`,
          [id, completedAt, summary === null ? null : JSON.stringify(summary)],
        );
      await send(completed, '2026-01-01T00:00:00Z', null);
      await send(unfinished, null, null);
      await send(purged, '2026-01-01T00:00:00Z', { delivered: 7, failed: 1 });
      for (const id of [completed, unfinished, purged]) {
        for (const [seq, ambiguous] of [[0, 2], [1, 1]] as const) {
          await old.query(
            `INSERT INTO batches (id, send_id, seq, status, user_ids, attempts, ambiguous_attempts) VALUES ($1, $2, $3, 'sent', '{}', 3, $4)`,
            [randomUUID(), id, seq, ambiguous],
          );
        }
      }
      const [batch] = await old.query(`SELECT id FROM batches WHERE send_id = $1 LIMIT 1`, [completed]);
      for (const [user, status] of [['u1', 'delivered'], ['u2', 'delivered'], ['u3', 'unknown']]) {
        for (const id of [completed, unfinished]) {
          await old.query(`INSERT INTO recipients (send_id, user_id, batch_id, status) VALUES ($1, $2, $3, $4)`, [id, user, batch.id, id === unfinished && user === 'u3' ? 'pending' : status]);
        }
      }
    } finally {
      await old.destroy();
    }

    db = await new DataSource({ ...dataSourceOptions({ url, poolSize: 2 }), migrations: upToThis }).initialize();
    expect(await runMigrations(db)).toEqual(['KeepSendOutcome1764700000000']);
    const rows = async () =>
      Object.fromEntries(
        ((await db!.query(`SELECT id, recipient_summary, ambiguous_calls FROM sends`)) as { id: string }[]).map(({ id, ...rest }) => [
          id === completed ? 'completed' : id === unfinished ? 'unfinished' : 'purged',
          rest,
        ]),
      );
    expect(await rows()).toEqual({
      completed: { recipient_summary: { delivered: 2, unknown: 1 }, ambiguous_calls: 3 },
      unfinished: { recipient_summary: null, ambiguous_calls: null },
      // Its rows are gone: the counts retention kept stay.
      purged: { recipient_summary: { delivered: 7, failed: 1 }, ambiguous_calls: 3 },
    });

    await db.undoLastMigration({ transaction: 'each' });
    const columns: { column_name: string }[] = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'sends' AND column_name IN ('ambiguous_calls', 'recipient_summary')`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['recipient_summary']);
  });
});

async function admin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const target = new URL(testDatabaseUrl());
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
