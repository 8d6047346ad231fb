import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One foreign key from a recipient to its batch *and* send, instead of one to each. Postgres checks a foreign key
 * row by row, so accepting a 100,000-recipient send ran 200,000 checks inside the request (0.6 s of its 2 s in
 * Postgres); one composite key halves that, and says more: a recipient's batch is a batch of the recipient's own send.
 * Deleting a send still deletes its recipients (sends → batches → recipients, each ON DELETE CASCADE).
 *
 * Added NOT VALID and validated afterwards, so that rows already there are checked without blocking writers for the
 * whole scan (about 10 s per 10 million recipients). Nothing new to grant: the runtime role's privileges are on the
 * tables, not their constraints. `down` restores the two keys.
 */
export class OneKeyFromRecipientsToBatches1765200000000 implements MigrationInterface {
  name = 'OneKeyFromRecipientsToBatches1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches ADD CONSTRAINT batches_id_send_key UNIQUE (id, send_id)`);
    await q.query(`
      ALTER TABLE recipients ADD CONSTRAINT recipients_batch_send_fkey
        FOREIGN KEY (batch_id, send_id) REFERENCES batches (id, send_id) ON DELETE CASCADE NOT VALID`);
    await q.query(`ALTER TABLE recipients VALIDATE CONSTRAINT recipients_batch_send_fkey`);
    await q.query(`ALTER TABLE recipients DROP CONSTRAINT recipients_batch_id_fkey`);
    await q.query(`ALTER TABLE recipients DROP CONSTRAINT recipients_send_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE recipients ADD CONSTRAINT recipients_send_id_fkey FOREIGN KEY (send_id) REFERENCES sends (id) ON DELETE CASCADE`);
    await q.query(`
      ALTER TABLE recipients ADD CONSTRAINT recipients_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES batches (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE recipients DROP CONSTRAINT recipients_batch_send_fkey`);
    await q.query(`ALTER TABLE batches DROP CONSTRAINT batches_id_send_key`);
  }
}
