import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat configurations: the apps and robots sends go through, until now a single one from the environment. Secrets
 * are stored encrypted with the id of the key that encrypted them, so keys can be rotated row by row.
 */
export class CreateChatConfigurations1764200000000 implements MigrationInterface {
  name = 'CreateChatConfigurations1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_configurations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        type text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        ram_role text,
        resource_group_id text,
        tags jsonb NOT NULL DEFAULT '{}',
        client_id text,
        client_secret_encrypted text,
        robot_code text,
        template_id text,
        calls_per_second double precision,
        pace_utilization double precision,
        monthly_call_quota int,
        aes_key_encrypted text NOT NULL,
        callback_token_encrypted text NOT NULL,
        secret_key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chat_configurations_type_check CHECK (type IN ('DingTalk', 'WeChat')),
        CONSTRAINT chat_configurations_status_check CHECK (status IN ('active', 'inactive'))
      )`);
    await q.query(`CREATE UNIQUE INDEX chat_configurations_name_key ON chat_configurations (name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_configurations`);
  }
}
