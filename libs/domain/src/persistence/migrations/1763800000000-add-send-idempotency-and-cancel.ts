import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys for POST /v1/sends, and the moment a send was cancelled. */
export class AddSendIdempotencyAndCancel1763800000000 implements MigrationInterface {
  name = 'AddSendIdempotencyAndCancel1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sends ADD COLUMN idempotency_key text`);
    await q.query(`ALTER TABLE sends ADD COLUMN request_hash text`);
    await q.query(`ALTER TABLE sends ADD COLUMN cancelled_at timestamptz`);
    await q.query(`CREATE UNIQUE INDEX sends_idempotency_key ON sends (idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_idempotency_key`);
    await q.query(`ALTER TABLE sends DROP COLUMN cancelled_at`);
    await q.query(`ALTER TABLE sends DROP COLUMN request_hash`);
    await q.query(`ALTER TABLE sends DROP COLUMN idempotency_key`);
  }
}
