import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages DingTalk pushes to a configuration's callback URL. DingTalk re-pushes when it doubts delivery; the unique
 * (configuration, msgId) index makes a re-push a no-op. The reply URL (`sessionWebhook`) is deliberately not kept:
 * it lets whoever holds it post into the conversation.
 */
export class CreateInboundMessages1764400000000 implements MigrationInterface {
  name = 'CreateInboundMessages1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chat_configuration text NOT NULL,
        msg_id text NOT NULL,
        msgtype text NOT NULL,
        text_content text,
        content jsonb,
        conversation_id text NOT NULL,
        conversation_type text,
        conversation_title text,
        sender_staff_id text,
        sender_id text,
        sender_nick text,
        sender_corp_id text,
        robot_code text,
        is_in_at_list boolean,
        create_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX inbound_messages_msg_key ON inbound_messages (chat_configuration, msg_id)`);
    await q.query(`CREATE INDEX inbound_messages_sender_idx ON inbound_messages (sender_staff_id, id)`);
    await q.query(`CREATE INDEX inbound_messages_conversation_idx ON inbound_messages (conversation_id, id)`);
    await q.query(`CREATE INDEX inbound_messages_create_at_idx ON inbound_messages (create_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbound_messages`);
  }
}
