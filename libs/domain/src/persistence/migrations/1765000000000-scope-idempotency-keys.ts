import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys are unique per chat configuration, not across the deployment: a caller reusing a key can then
 * only replay (or be refused with) a send through the configuration it names, which every caller allowed to send
 * through it may read. Before, a sender of one configuration reusing a key got a 409 naming another's send.
 *
 * Existing rows stay valid: keys were globally unique, so they are unique per configuration too. Nothing new to grant
 * to the runtime role (an index on a table it already uses). `down` fails, naming the keys, if two configurations
 * have reused one since.
 */
export class ScopeIdempotencyKeys1765000000000 implements MigrationInterface {
  name = 'ScopeIdempotencyKeys1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_idempotency_key`);
    await q.query(
      `CREATE UNIQUE INDEX sends_idempotency_key ON sends (chat_configuration, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_idempotency_key`);
    await q.query(`CREATE UNIQUE INDEX sends_idempotency_key ON sends (idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }
}
