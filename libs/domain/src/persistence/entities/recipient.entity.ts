import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BatchEntity } from './batch.entity.js';
import type { RecipientStatus } from '@dingrelay/contracts';

/** One user of one send, with the outcome DingTalk reported for them. */
@Entity({ name: 'recipients' })
@Index('recipients_send_user_key', ['sendId', 'userId'], { unique: true })
@Index('recipients_send_status_idx', ['sendId', 'status', 'id'])
@Index('recipients_batch_idx', ['batchId'])
@Index('recipients_user_created_idx', ['userId', 'createdAt', 'id'])
export class RecipientEntity {
  /** Monotonic, so it doubles as the keyset for stable paging. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'send_id', type: 'uuid' })
  sendId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  /** The batch currently responsible for this user (a re-send batch once flow-controlled). */
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  /** One key to the batch and the send together: a recipient's batch is always one of its own send's. */
  @ManyToOne(() => BatchEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'batch_id', referencedColumnName: 'id', foreignKeyConstraintName: 'recipients_batch_send_fkey' },
    { name: 'send_id', referencedColumnName: 'sendId', foreignKeyConstraintName: 'recipients_batch_send_fkey' },
  ])
  batch?: BatchEntity;

  @Column({ type: 'text' })
  status!: RecipientStatus;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode!: string | null;

  @Column({ name: 'reason_message', type: 'text', nullable: true })
  reasonMessage!: string | null;

  @Column({ name: 'process_query_key', type: 'text', nullable: true })
  processQueryKey!: string | null;

  /** DingTalk calls that included this user. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** Times DingTalk listed this user in flowControlledStaffIdList; re-sends stop at the configured limit. */
  @Column({ name: 'flow_controlled', type: 'int', default: 0 })
  flowControlled!: number;

  /**
   * Calls naming this user whose answer was lost (crash, timeout, 5xx after delivery): DingTalk may have delivered.
   * A user with any is never reported `failed`, only `unknown`, so nobody re-sends a message that may have arrived.
   */
  @Column({ name: 'lost_calls', type: 'int', default: 0 })
  lostCalls!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** `unread` | `read` once a readStatus poll answered for this user; null before (or when never delivered). */
  @Column({ name: 'read_status', type: 'text', nullable: true })
  readStatus!: 'unread' | 'read' | null;

  /** DingTalk's readTimestamp, or the time of the poll that first saw the read when DingTalk sends none. */
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  /** `recalled` | `failed` once a recall of the send handled this user's message. */
  @Column({ name: 'recall_status', type: 'text', nullable: true })
  recallStatus!: 'recalled' | 'failed' | null;

  /** DingTalk's failedResult reason, or a dingrelay reason such as `expired`. */
  @Column({ name: 'recall_reason', type: 'text', nullable: true })
  recallReason!: string | null;

  @Column({ name: 'recalled_at', type: 'timestamptz', nullable: true })
  recalledAt!: Date | null;
}
