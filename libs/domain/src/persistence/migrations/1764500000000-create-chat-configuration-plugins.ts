import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The quick entries last applied per chat configuration, with who applied them and when. */
export class CreateChatConfigurationPlugins1764500000000 implements MigrationInterface {
  name = 'CreateChatConfigurationPlugins1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_configuration_plugins (
        chat_configuration text PRIMARY KEY,
        robot_code text NOT NULL,
        last_action text NOT NULL,
        entries jsonb NOT NULL,
        applied_at timestamptz NOT NULL,
        applied_by text NOT NULL,
        applied_by_key_id uuid
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_configuration_plugins`);
  }
}
