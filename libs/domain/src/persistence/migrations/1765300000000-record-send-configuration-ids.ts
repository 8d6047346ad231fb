import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each send records the id of the chat configuration it went through (`sends.chat_configuration_id`), not only its
 * name: a configuration deleted and re-created under the same name is another configuration, and its keys, history,
 * Idempotency-Keys and credentials must not reach the old one's sends (issue #13, finding 9c).
 *
 * Existing sends get the id of the configuration now holding their name when they went through it: sent at or after
 * it was created, or when no configuration of that name has been deleted since the send (the deployment's default
 * configuration gets its row at a first start, after sends made before configurations were rows). Every delete is in
 * the audit log (`chat-configuration.delete`, written in the delete's transaction), which is how a send older than
 * the configuration is told from one of an earlier configuration of that name. Sends through a configuration deleted
 * since, and through names no configuration has (pinned in a process), keep NULL: they belong to no configuration that
 * exists. There is no foreign key: configurations are deleted, their sends stay.
 *
 * Idempotency-Keys become unique per configuration id; sends without one keep the per-name rule among themselves.
 * Nothing new to grant: the runtime role's privileges on `sends` are table-wide. The backfill writes every send row in
 * the migration's transaction, which holds `sends` locked until it commits: on a large history, requests wait for it.
 * `down` fails, naming the key, if a re-created configuration has reused an Idempotency-Key of its predecessor since.
 */
export class RecordSendConfigurationIds1765300000000 implements MigrationInterface {
  name = 'RecordSendConfigurationIds1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sends ADD COLUMN chat_configuration_id uuid`);
    await q.query(`
      WITH last_delete AS (
        SELECT target_id AS name, max(occurred_at) AS at FROM audit_events
         WHERE action = 'chat-configuration.delete' AND target_type = 'chat-configuration' AND outcome = 'succeeded'
         GROUP BY target_id)
      UPDATE sends s SET chat_configuration_id = c.id
        FROM chat_configurations c LEFT JOIN last_delete d ON d.name = c.name
       WHERE s.chat_configuration = c.name
         AND (s.created_at >= c.created_at OR d.at IS NULL OR d.at < s.created_at)`);
    await q.query(`DROP INDEX sends_idempotency_key`);
    await q.query(`
      CREATE UNIQUE INDEX sends_idempotency_key ON sends (chat_configuration_id, idempotency_key)
       WHERE idempotency_key IS NOT NULL AND chat_configuration_id IS NOT NULL`);
    await q.query(`
      CREATE UNIQUE INDEX sends_idempotency_key_by_name ON sends (chat_configuration, idempotency_key)
       WHERE idempotency_key IS NOT NULL AND chat_configuration_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_idempotency_key_by_name`);
    await q.query(`DROP INDEX sends_idempotency_key`);
    await q.query(`CREATE UNIQUE INDEX sends_idempotency_key ON sends (chat_configuration, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`ALTER TABLE sends DROP COLUMN chat_configuration_id`);
  }
}
