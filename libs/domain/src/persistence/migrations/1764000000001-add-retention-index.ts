import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention looks for old sends whose recipient detail is still there. Partial on what is left to purge, so each run
 * reads only those, however many purged sends history accumulates.
 */
export class AddRetentionIndex1764000000001 implements MigrationInterface {
  name = 'AddRetentionIndex1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sends_retention_idx ON sends (created_at) WHERE recipients_purged_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_retention_idx`);
  }
}
