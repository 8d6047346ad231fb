import type { DataSource } from 'typeorm';
import { openTestDataSource } from './support/delivery-harness.js';

/**
 * Recipients have one foreign key, to their batch and send together (migration 1765200000000): Postgres refuses a
 * recipient whose batch is another send's, or a move to such a batch, and deleting a send still deletes its
 * recipients through its batches. Each case runs in a transaction that is rolled back.
 */
describe('the recipient → batch and send key', () => {
  let db: DataSource;
  const [sendA, sendB] = ['6a0c7a1e-1b0e-4d4a-9c71-0000000000a1', '6a0c7a1e-1b0e-4d4a-9c71-0000000000b2'];
  const [batchA, batchB] = ['6a0c7a1e-1b0e-4d4a-9c71-0000000000a3', '6a0c7a1e-1b0e-4d4a-9c71-0000000000b4'];

  beforeAll(async () => {
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  /** Two sends, one batch each, one recipient in send A's batch; then `work`, then everything is rolled back. */
  async function withTwoSends<T>(work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<T>): Promise<T> {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      for (const [send, batch] of [[sendA, batchA], [sendB, batchB]] as const) {
        await runner.query(
          `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy, recipient_count,
                              duplicates_removed, batch_count, requested_by)
           VALUES ($1, 'default', 'robot', 'sampleText', '{"content":"x"}', 'at-least-once', 1, 0, 1, 'test')`,
          [send],
        );
        await runner.query(`INSERT INTO batches (id, send_id, seq, status, user_ids) VALUES ($1, $2, 0, 'pending', '{u1}')`, [batch, send]);
      }
      await runner.query(`INSERT INTO recipients (send_id, user_id, batch_id, status) VALUES ($1, 'u1', $2, 'pending')`, [sendA, batchA]);
      return await work((sql, params) => runner.query(sql, params));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('refuses a recipient in a batch of another send', async () => {
    await withTwoSends(async (query) => {
      await expect(
        query(`INSERT INTO recipients (send_id, user_id, batch_id, status) VALUES ($1, 'u2', $2, 'pending')`, [sendA, batchB]),
      ).rejects.toThrow(/recipients_batch_send_fkey/);
    });
  });

  it('refuses moving a recipient into a batch of another send', async () => {
    await withTwoSends(async (query) => {
      await expect(query(`UPDATE recipients SET batch_id = $2 WHERE send_id = $1`, [sendA, batchB])).rejects.toThrow(/recipients_batch_send_fkey/);
    });
  });

  it('deleting a send deletes its recipients through its batches, and leaves the other send alone', async () => {
    const left = await withTwoSends(async (query) => {
      await query(`INSERT INTO recipients (send_id, user_id, batch_id, status) VALUES ($1, 'u1', $2, 'pending')`, [sendB, batchB]);
      await query(`DELETE FROM sends WHERE id = $1`, [sendA]);
      return query(`SELECT send_id FROM recipients WHERE send_id = ANY($1) ORDER BY send_id`, [[sendA, sendB]]);
    });
    expect(left).toEqual([{ send_id: sendB }]);
  });
});
