import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message a user sent a configuration's robot, as DingTalk pushed it to the callback URL (spec §9.1). */
@Entity({ name: 'inbound_messages' })
@Index('inbound_messages_msg_key', ['chatConfiguration', 'msgId'], { unique: true })
@Index('inbound_messages_sender_idx', ['senderStaffId', 'id'])
@Index('inbound_messages_conversation_idx', ['conversationId', 'id'])
@Index('inbound_messages_create_at_idx', ['createAt', 'id'])
export class InboundMessageEntity {
  /** Monotonic, so it doubles as the keyset for stable paging. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'chat_configuration', type: 'text' })
  chatConfiguration!: string;

  /** DingTalk's (encrypted) message id; a re-push carries the same one. */
  @Column({ name: 'msg_id', type: 'text' })
  msgId!: string;

  @Column({ type: 'text' })
  msgtype!: string;

  /** `text.content` of a text message. */
  @Column({ name: 'text_content', type: 'text', nullable: true })
  textContent!: string | null;

  /** `content` of the other message types (richText, picture, audio, video, file). */
  @Column({ type: 'jsonb', nullable: true })
  content!: unknown;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ name: 'conversation_type', type: 'text', nullable: true })
  conversationType!: string | null;

  @Column({ name: 'conversation_title', type: 'text', nullable: true })
  conversationTitle!: string | null;

  @Column({ name: 'sender_staff_id', type: 'text', nullable: true })
  senderStaffId!: string | null;

  @Column({ name: 'sender_id', type: 'text', nullable: true })
  senderId!: string | null;

  @Column({ name: 'sender_nick', type: 'text', nullable: true })
  senderNick!: string | null;

  @Column({ name: 'sender_corp_id', type: 'text', nullable: true })
  senderCorpId!: string | null;

  @Column({ name: 'robot_code', type: 'text', nullable: true })
  robotCode!: string | null;

  @Column({ name: 'is_in_at_list', type: 'boolean', nullable: true })
  isInAtList!: boolean | null;

  /** `createAt`: when the user sent it (DingTalk's clock). */
  @Column({ name: 'create_at', type: 'timestamptz' })
  createAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}
